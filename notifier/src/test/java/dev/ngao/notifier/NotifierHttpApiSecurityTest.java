package dev.ngao.notifier;

import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.TestSignedRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may read the delivery log: signed requests only; a merchant's key sees its own merchant's deliveries
 * (another merchant's answer 404, as unknown ones do); an operator's key sees all. /health stays open.
 */
class NotifierHttpApiSecurityTest {

    private static final String ACME_DELIVERY = "msg_" + "a".repeat(32);
    private static final String OTHER_DELIVERY = "msg_" + "b".repeat(32);

    @TempDir
    Path directory;

    private final TestSignedRoutes signed = new TestSignedRoutes();
    private final RequestSigner acme = signed.key("acme-key", "acme", Scopes.DELIVERIES_READ);
    private final RequestSigner paymentsOnly = signed.key("acme-payments", "acme", Scopes.PAYMENTS_READ);
    private final RequestSigner operator = signed.key("operator", "ngao-operations", Scopes.OPERATOR_READ);
    private NotifierStore store;
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void setUp() throws Exception {
        store = NotifierStore.open(directory);
        store.putDelivery(null, delivery(ACME_DELIVERY, "tx-acme", "acme"), true);
        store.putDelivery(null, delivery(OTHER_DELIVERY, "tx-other", "other"), true);
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(new NotifierHttpApi(vertx, store, () -> true, signed.routes()).router())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        store.close();
    }

    @Test
    void shouldRefuseEveryRouteWith401WhenTheRequestIsUnsigned() throws Exception {
        for (String path : List.of("/v1/deliveries?merchant=acme", "/v1/deliveries/" + ACME_DELIVERY)) {
            HttpResponse<String> response = get(path, null);

            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(type(response)).as(path).endsWith("/missing-signature");
        }
    }

    @Test
    void shouldRefuseEveryRouteWith403WhenTheKeyLacksTheDeliveriesScope() throws Exception {
        for (String path : List.of("/v1/deliveries?merchant=acme", "/v1/deliveries/" + ACME_DELIVERY)) {
            HttpResponse<String> response = get(path, paymentsOnly);

            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(type(response)).as(path).endsWith("/insufficient-scope");
        }
    }

    @Test
    void shouldServeItsOwnDeliveriesWhenAMerchantKeyAsks() throws Exception {
        // When acme's key lists without naming a merchant, names itself, asks by transaction and by id
        JsonObject unnamed = json(get("/v1/deliveries", acme));
        JsonObject named = json(get("/v1/deliveries?merchant=acme", acme));
        HttpResponse<String> one = get("/v1/deliveries/" + ACME_DELIVERY, acme);

        // Then each is acme's own
        assertThat(unnamed.getInteger("count")).isEqualTo(1);
        assertThat(named.getJsonArray("deliveries").getJsonObject(0).getString("webhookId")).isEqualTo(ACME_DELIVERY);
        assertThat(one.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerAsForUnknownWhenAMerchantKeyAsksForAnotherMerchantsDeliveries() throws Exception {
        // When acme's key asks for the other merchant's delivery, listing and transaction
        HttpResponse<String> foreign = get("/v1/deliveries/" + OTHER_DELIVERY, acme);
        HttpResponse<String> unknown = get("/v1/deliveries/msg_" + "c".repeat(32), acme);
        HttpResponse<String> foreignList = get("/v1/deliveries?merchant=other", acme);
        JsonObject foreignTransaction = json(get("/v1/deliveries?transaction=tx-other", acme));

        // Then the delivery answers as one that does not exist, and nothing of the other merchant is listed
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body()).isEqualTo(unknown.body());
        assertThat(foreignList.statusCode()).isEqualTo(404);
        assertThat(foreignTransaction.getInteger("count")).isZero();
    }

    @Test
    void shouldServeEveryMerchantsDeliveriesWhenAnOperatorKeyAsks() throws Exception {
        assertThat(get("/v1/deliveries/" + OTHER_DELIVERY, operator).statusCode()).isEqualTo(200);
        assertThat(json(get("/v1/deliveries?merchant=other", operator)).getInteger("count")).isEqualTo(1);
        assertThat(json(get("/v1/deliveries?transaction=tx-acme", operator)).getInteger("count")).isEqualTo(1);
    }

    @Test
    void shouldLeaveHealthOpenWhenUnsigned() throws Exception {
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    private static Delivery delivery(String webhookId, String transactionId, String merchantId) {
        Instant now = Instant.parse("2026-03-10T12:00:00Z");
        return new Delivery(webhookId, transactionId, merchantId, FinalStatus.SUCCEEDED, null, now,
                DeliveryStatus.NO_ENDPOINT, null, now, null, List.of());
    }

    private HttpResponse<String> get(String path, RequestSigner signer) throws Exception {
        return signed.get(URI.create("http://127.0.0.1:" + server.actualPort() + path), signer);
    }

    private static JsonObject json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private static String type(HttpResponse<String> response) {
        return new JsonObject(response.body()).getString("type");
    }
}
