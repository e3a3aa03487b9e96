package dev.ngao.ingest;

import dev.ngao.events.ApprovalRequest;
import dev.ngao.events.PaymentRequest;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.schemas.topics.Topics;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Ingest instances on one real broker with maker-checker on, for the approval integration tests: a maker key
 * (the payment scopes, and approvals:approve) and a checker key (approvals:approve) of one merchant.
 */
final class ApprovalsHarness implements AutoCloseable {

    public static final String MAKER = "key-maker";
    public static final String MAKER_SECRET = "secret-of-the-maker-00000000001";
    public static final String CHECKER = "key-checker";
    public static final String CHECKER_SECRET = "secret-of-the-checker-000000001";
    public static final String MERCHANT_ID = "merchant-approvals";

    private final Map<String, String> environment;
    private final KafkaContext kafka;

    private ApprovalsHarness(Map<String, String> environment, KafkaContext kafka) {
        this.environment = environment;
        this.kafka = kafka;
    }

    /** @param thresholds {@code NGAO_INGEST_APPROVALS_PAYOUT_THRESHOLDS} */
    public static ApprovalsHarness start(KafkaTestCluster cluster, String thresholds) throws Exception {
        Map<String, String> environment = cluster.environment("ingest-approvals-it-" + UUID.randomUUID());
        environment.put("NGAO_INGEST_HTTP_PORT", "0");
        environment.put("NGAO_INGEST_KEYS_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        environment.put("NGAO_INGEST_PII_PEPPER", "integration-test-pepper-0123");
        environment.put("NGAO_INGEST_APPROVALS_PAYOUT_THRESHOLDS", thresholds);
        for (ProviderCalls provider : ProviderCalls.values()) {
            environment.put(EnvironmentConfig.variableName(provider.secretsKey), ProviderCalls.SECRET);
        }
        IngestConfig config = IngestConfig.fromEnvironment(environment);
        KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(config));
        // The maker may approve too: what refuses its own payout is that it made it, not a missing scope.
        IntegrationKeys.create(kafka, config, Map.of(MAKER, new String[] {MERCHANT_ID, MAKER_SECRET}),
                Set.of(Scopes.PAYMENTS_WRITE, Scopes.PAYMENTS_READ, Scopes.APPROVALS_APPROVE));
        IntegrationKeys.create(kafka, config, Map.of(CHECKER, new String[] {MERCHANT_ID, CHECKER_SECRET}),
                Set.of(Scopes.PAYMENTS_READ, Scopes.APPROVALS_APPROVE));
        return new ApprovalsHarness(environment, kafka);
    }

    /** A started ingest instance; closing it stops it, as a restart or a pod going away does. */
    public Instance instance() {
        IngestService service = new IngestService(IngestConfig.fromEnvironment(environment), kafka);
        try {
            service.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new Instance(service, new HttpTestClient(service.httpPort()));
    }

    /** A KES mobile-money payout of {@code amount} with {@code reference}. */
    public static String payout(String amount, String reference) {
        return HttpTestClient.VALID_BODY.replace("MOBILE_MONEY_COLLECTION", "MOBILE_MONEY_PAYOUT")
                .replace("\"1500.50\"", "\"" + amount + "\"").replace("order-42", reference);
    }

    public List<PaymentRequest> requestsOf(String transactionId) {
        return TopicReader.values(kafka, Topics.PAYMENT_REQUESTS,
                request -> request.getTransactionId().equals(transactionId));
    }

    public List<ApprovalRequest> approvalRecordsOf(String approvalId) {
        return TopicReader.values(kafka, Topics.INGEST_APPROVALS,
                record -> record.getApprovalId().equals(approvalId));
    }

    @Override
    public void close() {
        kafka.close();
    }

    /** One running instance and a client of its HTTP API. */
    public record Instance(IngestService service, HttpTestClient client) implements AutoCloseable {
        @Override
        public void close() {
            service.close();
        }
    }
}
