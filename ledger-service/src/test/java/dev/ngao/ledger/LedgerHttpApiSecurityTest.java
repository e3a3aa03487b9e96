package dev.ngao.ledger;

import dev.ngao.events.ProviderStatus;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may read what: every /v1 route takes signed requests with a ledger scope; a merchant's key reads
 * only its own accounts and transactions (another merchant's are answered as unknown), and only an
 * operator's key reads across merchants. /health stays open.
 */
class LedgerHttpApiSecurityTest {

    /** Routes a merchant's key may use on its own data; the ledger holds m-1's tx-1 and its accounts. */
    private static final List<String> MERCHANT_ROUTES = List.of(
            "/v1/balances/merchant:m-1:pending:KES",
            "/v1/owners/merchant/m-1/balances/KES",
            "/v1/accounts/merchant:m-1:pending:KES/entries",
            "/v1/entries/tx-1",
            "/v1/lifecycles/tx-1");
    private static final List<String> OPERATOR_ROUTES = List.of(
            "/v1/refusals",
            "/v1/trial-balance",
            "/v1/exports/entries/2025-01-15.csv");

    @TempDir
    Path directory;

    private final TestSignedRoutes signed = new TestSignedRoutes();
    private final RequestSigner merchantOne = signed.key("m-1-key", "m-1", Scopes.LEDGER_READ);
    private final RequestSigner merchantTwo = signed.key("m-2-key", "m-2", Scopes.LEDGER_READ);
    private final RequestSigner paymentsOnly = signed.key("m-1-payments", "m-1", Scopes.PAYMENTS_READ,
            Scopes.PAYMENTS_WRITE);
    private final RequestSigner operator = signed.key("operator", "ngao-operations", Scopes.OPERATOR_READ);
    private LedgerStore store;
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void setUp() throws Exception {
        store = LedgerStore.open(directory);
        TestLedger ledger = new TestLedger(store);
        ledger.decide(Decisions.approvedCollection("tx-1", 100));
        ledger.report(Decisions.status("tx-1", "ev-1", ProviderStatus.SUCCEEDED));
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .requestHandler(new LedgerHttpApi(vertx, store, () -> true, signed.routes()).router())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        store.close();
    }

    @Test
    void shouldRefuseEveryRouteWith401WhenTheRequestIsUnsigned() throws Exception {
        for (String path : all()) {
            // When
            HttpResponse<String> response = get(path, null);

            // Then
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(type(response)).as(path).endsWith("/missing-signature");
        }
    }

    @Test
    void shouldRefuseEveryRouteWith401WhenTheSignatureIsWrong() throws Exception {
        // Given a signer with the right key id and a wrong secret
        RequestSigner forged = new RequestSigner("m-1-key", "not-the-secret-of-m-1-key-000000");

        for (String path : all()) {
            assertThat(get(path, forged).statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void shouldRefuseEveryRouteWith403WhenTheKeyLacksALedgerScope() throws Exception {
        for (String path : all()) {
            // When a key with payment scopes only asks, even for its own merchant's data
            HttpResponse<String> response = get(path, paymentsOnly);

            // Then
            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(type(response)).as(path).endsWith("/insufficient-scope");
        }
    }

    @Test
    void shouldServeItsOwnDataWhenAMerchantKeyAsks() throws Exception {
        for (String path : MERCHANT_ROUTES) {
            assertThat(get(path, merchantOne).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void shouldAnswer404AsForUnknownDataWhenAMerchantKeyAsksForAnotherMerchants() throws Exception {
        for (String path : MERCHANT_ROUTES) {
            // When m-2's key asks for m-1's account, owner or transaction, which all exist
            HttpResponse<String> foreign = get(path, merchantTwo);
            // and an operator for data of the same shape that does not exist
            HttpResponse<String> missing = get(path.replace("m-1", "m-9").replace("tx-1", "tx-none"), operator);

            // Then m-2 learns nothing: the answer is the one for data that does not exist
            assertThat(foreign.statusCode()).as(path).isEqualTo(404);
            if (missing.statusCode() == 404) {
                assertThat(type(foreign)).as(path).isEqualTo(type(missing));
            }
        }
        assertThat(get("/v1/lifecycles/tx-none", merchantTwo).body())
                .isEqualTo(get("/v1/lifecycles/tx-1", merchantTwo).body());
    }

    @Test
    void shouldRefuseViewsAcrossMerchantsWith403WhenAMerchantKeyAsks() throws Exception {
        for (String path : OPERATOR_ROUTES) {
            HttpResponse<String> response = get(path, merchantOne);

            assertThat(response.statusCode()).as(path).isEqualTo(403);
            assertThat(type(response)).as(path).endsWith("/insufficient-scope");
        }
    }

    @Test
    void shouldServeEveryRouteWhenAnOperatorKeyAsks() throws Exception {
        for (String path : all()) {
            assertThat(get(path, operator).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void shouldRefuseAReplayWhenASignedRequestIsSentTwice() throws Exception {
        // Given one signed request
        URI uri = uri("/v1/balances/merchant:m-1:pending:KES");
        var headers = merchantOne.sign("GET", uri, (byte[]) null);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        headers.applyTo(request);
        HttpClient http = HttpClient.newHttpClient();

        // When it is sent twice
        int first = http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        HttpResponse<String> second = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        // Then the copy is refused
        assertThat(first).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(401);
        assertThat(type(second)).endsWith("/replayed-request");
    }

    @Test
    void shouldLeaveHealthOpenWhenUnsigned() throws Exception {
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    private static List<String> all() {
        return Stream.concat(MERCHANT_ROUTES.stream(), OPERATOR_ROUTES.stream()).toList();
    }

    private HttpResponse<String> get(String path, RequestSigner signer) throws Exception {
        return signed.get(uri(path), signer);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }

    private static String type(HttpResponse<String> response) {
        return new JsonObject(response.body()).getString("type");
    }
}
