package dev.ngao.ingest.fuzz;

import dev.ngao.events.AuditRecord;
import dev.ngao.ingest.ApiFixture;
import dev.ngao.ingest.ProviderCalls;
import dev.ngao.ingest.RawHttpClient;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.ingest.audit.RequestAudit;
import dev.ngao.ingest.http.RouteTemplates;
import dev.ngao.ingest.payment.PaymentRoutes;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** No input may cause a 5xx: thousands of malformed requests at every route, from a fixed seed. */
@ExtendWith(RouteHarness.class)
class IngestFuzzTest {

    /** Change it to explore; a failure names the request number, which this seed replays. */
    static final long SEED = 20_260_101L;
    static final int REQUESTS = 3_000;
    static final Duration BUDGET = Duration.ofSeconds(90);
    /** Every answer is immediate (payment writes are acknowledged at once): a slow one is a hang. */
    static final int TIMEOUT_MS = 3_000;
    /** Paths no route has (yet): areas other route groups will add, webhooks under /v1, the bare prefixes, the root. */
    static final List<String> EXTRA_PATHS = List.of("/", "/v1", "/v1/", "/v1/webhooks/mobile-money",
            "/v1/webhooks/pagoefectivo", "/v1/webhooks/card-network", "/v1/cards", "/v1/cards/:cardId/freeze",
            "/v1/refunds", "/v1/reviews/:transactionId/resolve", "/nothing-here");

    private ApiFixture api;

    @BeforeEach
    void startApi(ApiFixture api) {
        this.api = api;
        // The payment the fuzzed webhooks name, as if ingest had accepted it
        api.submittedTransactions.record(ProviderCalls.FUZZED_TRANSACTION);
    }

    @Test
    void shouldNeverAnswer5xxAndAlwaysProblemJsonWhenRequestsAreMalformed() {
        // Given every route of the table, and paths no route has
        List<String> routes = new ArrayList<>(RouteTemplates.of(api.router).paths());
        routes.addAll(EXTRA_PATHS);

        // When thousands of malformed requests are thrown at them
        long startedNanos = System.nanoTime();
        ApiFuzzer.Report report = new ApiFuzzer(new RawHttpClient(api.port(), TIMEOUT_MS), routes,
                PaymentRoutes.PAYMENTS_PATH, ApiFixture.KEY_ID, ApiFixture.SECRET, SEED)
                .withWebhooks(ProviderCalls.fuzzed(ApiFixture.WEBHOOK_SECRET))
                .run(REQUESTS, BUDGET);
        System.out.printf("Fuzz (seed %d): %d requests over %d routes in %d ms, %d with corrupt framing unanswered, "
                        + "statuses %s, problems %s%n", SEED, report.requests(), routes.size(),
                (System.nanoTime() - startedNanos) / 1_000_000, report.unanswered(), report.statuses(),
                report.problems());

        // Then none got a 5xx or an error that is not problem+json, and the run was not cut short by its budget
        assertThat(report.violations()).isEmpty();
        assertThat(report.requests()).isEqualTo(REQUESTS);
        assertThat(report.statuses()).containsKeys(200, 202, 400, 401, 404, 413, 414, 415, 422, 431);

        // And the signed requests reached every check of the door and the handlers behind it
        assertThat(report.problems()).containsKeys("missing-signature", "timestamp-out-of-tolerance",
                "invalid-signature", "replayed-request", "idempotency-key-required", "idempotency-key-invalid",
                "validation-failed", "malformed-json", "webhook-signature-invalid");
        assertThat(api.paymentProducer.history()).isNotEmpty();
        assertThat(api.providerEventProducer.history()).isNotEmpty();

        // And the audit, which saw every routed request, recorded no 5xx either
        @SuppressWarnings("unchecked")
        MockProducer<String, AuditRecord> audit = (MockProducer<String, AuditRecord>) api.auditProducer;
        await().atMost(10, TimeUnit.SECONDS).until(() -> api.operations.auditQueued() == 0);
        assertThat(audit.history()).hasSizeGreaterThan(REQUESTS / 2)
                .noneMatch(record -> record.value().getDetails().get(RequestAudit.STATUS_DETAIL).startsWith("5"));
    }
}
