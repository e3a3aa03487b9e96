package dev.ngao.ledger;

import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.TestSignedRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The query API over a real store: owner balances, pages, time ranges, refusals, lifecycles and the CSV export. */
class LedgerHttpApiTest {

    private static final String PENDING = "merchant:m-1:pending:KES";

    @TempDir
    Path directory;

    private final TestSignedRoutes signed = new TestSignedRoutes();
    /** These tests are about answers, not access: an operator's key sees everything. */
    private final RequestSigner operator = signed.key("operator-key", "ngao-operations", Scopes.OPERATOR_READ);
    private LedgerStore store;
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void setUp() throws Exception {
        store = LedgerStore.open(directory);
        TestLedger ledger = new TestLedger(store);
        for (int number = 1; number <= 5; number++) {
            ledger.decide(Decisions.approvedCollection("tx-" + number, number * 100L));
        }
        ledger.report(Decisions.status("tx-1", "ev-1", ProviderStatus.SUCCEEDED));
        ledger.decide(Decisions.approvedPayout("tx-6", 60));
        ledger.decide(Decisions.approvedPayout("tx-7", 1_000));
        ledger.decide(Decisions.approved("tx-8", PaymentType.CIP_PAYMENT, 50));
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(new LedgerHttpApi(vertx, store, () -> true, signed.routes()).router())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        store.close();
    }

    @Test
    void shouldAnswerAvailablePendingAndTotalWhenOwnerBalanceIsAsked() throws Exception {
        // When
        JsonObject merchant = get("/v1/owners/merchant/m-1/balances/KES");

        // Then collections 100..500 approved, 100 confirmed, 60 paid out of it
        assertThat(merchant.getLong("availableMinor")).isEqualTo(40L);
        assertThat(merchant.getLong("pendingMinor")).isEqualTo(1_400L);
        assertThat(merchant.getLong("totalMinor")).isEqualTo(1_440L);
        assertThat(merchant.getJsonArray("accounts")).hasSize(2);
        assertThat(request("/v1/owners/wallet/m-1/balances/KES").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldWalkEveryEntryOnceWhenAccountHistoryIsPaged() throws Exception {
        // When
        List<String> walked = new ArrayList<>();
        String path = "/v1/accounts/" + PENDING + "/entries?limit=2";
        JsonObject page = get(path);
        walked.addAll(entryIds(page));
        while (page.containsKey("nextAfter")) {
            page = get(path + "&after=" + page.getLong("nextAfter"));
            walked.addAll(entryIds(page));
        }

        // Then
        assertThat(walked).containsExactly("je:tx-1:approved", "je:tx-2:approved", "je:tx-3:approved",
                "je:tx-4:approved", "je:tx-5:approved", "je:tx-1:succeeded");
    }

    @Test
    void shouldListOnlyEntriesInRangeWhenTimeRangeIsGiven() throws Exception {
        // When
        JsonObject inside = get("/v1/accounts/" + PENDING
                + "/entries?from=2025-01-15T00:00:00Z&to=2025-01-16T00:00:00Z");
        JsonObject before = get("/v1/accounts/" + PENDING + "/entries?to=2025-01-15T10:00:00Z");
        JsonObject ofTransaction = get("/v1/entries/tx-1?from=2025-01-15T10:00:00Z&to=2025-01-15T10:00:00.001Z");

        // Then
        assertThat(inside.getJsonArray("entries")).hasSize(6);
        assertThat(before.getJsonArray("entries")).isEmpty();
        assertThat(entryIds(ofTransaction)).containsExactly("je:tx-1:approved", "je:tx-1:succeeded");
    }

    @Test
    void shouldRefuseWhenPageParametersAreInvalid() throws Exception {
        // When / Then
        for (String query : List.of("limit=0", "limit=501", "after=-1", "from=yesterday",
                "from=2025-01-16T00:00:00Z&to=2025-01-15T00:00:00Z")) {
            HttpResponse<String> response = request("/v1/accounts/" + PENDING + "/entries?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(new JsonObject(response.body()).getString("type")).as(query).endsWith("/invalid-page");
        }
    }

    @Test
    void shouldListRefusalAndLifecycleWhenPayoutWasRefused() throws Exception {
        // When
        JsonObject refusals = get("/v1/refusals");
        JsonObject lifecycle = get("/v1/lifecycles/tx-7");
        HttpResponse<String> unknown = request("/v1/lifecycles/nobody");

        // Then
        JsonObject refusal = refusals.getJsonArray("refusals").getJsonObject(0);
        assertThat(refusal.getString("transactionId")).isEqualTo("tx-7");
        assertThat(refusal.getJsonObject("details").getString("availableMinor")).isEqualTo("40");
        assertThat(lifecycle.getString("stage")).isEqualTo("REFUSED");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldExportEveryPostingOfTheDayWhenCsvIsAsked() throws Exception {
        // When
        HttpResponse<String> day = request("/v1/exports/entries/2025-01-15.csv");
        HttpResponse<String> otherDay = request("/v1/exports/entries/2025-01-16.csv");
        HttpResponse<String> invalid = request("/v1/exports/entries/15-01-2025.csv");

        // Then 7 entries of two postings each, after the header
        assertThat(day.statusCode()).isEqualTo(200);
        assertThat(day.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/csv"));
        List<String> lines = day.body().lines().toList();
        assertThat(lines).hasSize(1 + 7 * 2);
        assertThat(lines.get(0)).isEqualTo(EntryCsv.HEADER.strip());
        assertThat(lines.get(1)).startsWith("je:tx-1:approved,1,tx-1,collection.approved,2025-01-15T10:00:00Z,"
                + "provider:mobile-money-hub:clearing:KES,DEBIT,100,KES,risk.decisions-0@0,");
        assertThat(otherDay.body().lines()).hasSize(1);
        assertThat(invalid.statusCode()).isEqualTo(400);
    }

    @Test
    void shouldSumToZeroWhenTrialBalanceIsAsked() throws Exception {
        // When
        JsonObject trialBalance = get("/v1/trial-balance");

        // Then
        assertThat(trialBalance.getBoolean("balanced")).isTrue();
        assertThat(trialBalance.getJsonArray("currencies").getJsonObject(0).getLong("netMinor")).isZero();
    }

    private static List<String> entryIds(JsonObject page) {
        JsonArray entries = page.getJsonArray("entries");
        List<String> ids = new ArrayList<>();
        for (int index = 0; index < entries.size(); index++) {
            ids.add(entries.getJsonObject(index).getString("entryId"));
        }
        return ids;
    }

    private JsonObject get(String path) throws Exception {
        HttpResponse<String> response = request(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private HttpResponse<String> request(String path) throws Exception {
        return signed.get(URI.create("http://127.0.0.1:" + server.actualPort() + path), operator);
    }
}
