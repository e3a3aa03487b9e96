package dev.ngao.risk;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Rule;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.ngao.risk.PaymentRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many accounts of one merchant race for its daily limit across every decision task (six partitions), while
 * the service is stopped in the middle of the burst and started again on the same state: every request is
 * decided exactly once, the merchant's approvals never add up past its limit (the escrowed slices), they come
 * within the bound the slices may strand of it, and no account passes its own daily limit.
 */
@ExtendWith(KafkaClusterExtension.class)
class RiskStreamsBurstIT {

    private static final Instant REQUESTED_AT = Instant.parse("2025-04-02T09:00:00Z");
    private static final String MERCHANT = "merchant-1";
    private static final long MERCHANT_DAILY = 20_000_000L;
    private static final long ACCOUNT_DAILY = 300_000L;
    private static final long MAXIMUM_AMOUNT = 60_000L;
    private static final int REQUESTS = 3_000;
    private static final int ACCOUNTS = 600;
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path stateDirectory;

    private final String registryScope = "risk-burst-it-" + UUID.randomUUID();

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(registryScope);
    }

    @Test
    void shouldNeverOverspendTheMerchantLimitAndDecideEachRequestOnceAcrossARestartMidBurst(
            KafkaTestCluster cluster) throws Exception {
        // Given the merchant's rule set in force: an account daily limit and the merchant's daily limit
        Map<String, String> environment = new HashMap<>(cluster.environment(registryScope));
        environment.put("NGAO_RISK_APPLICATION_ID", "risk-burst-it-" + UUID.randomUUID());
        environment.put("NGAO_RISK_STATE_DIR", stateDirectory.toString());
        environment.put("NGAO_RISK_HTTP_PORT", "0");
        environment.put("NGAO_RISK_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        environment.put("NGAO_RISK_STANDBY_REPLICAS", "0");
        RiskConfig config = RiskConfig.fromEnvironment(environment);
        String accountPrefix = "acct-" + UUID.randomUUID() + "-";
        List<PaymentRequest> burst = burst(new Random(7), accountPrefix);
        Set<String> transactions = new HashSet<>();
        burst.forEach(request -> transactions.add(request.getTransactionId()));
        try (KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(config))) {
            kafka.ensureTopics(RiskStreamsService.TOPICS, "risk-burst-it-admin");
            publishRuleSet(kafka);
            CompletableFuture<Void> sent;
            try (RiskStreamsService service = new RiskStreamsService(config, kafka)) {
                service.start();
                // When the burst is sent and the service stops once a third of it is decided
                sent = CompletableFuture.runAsync(() -> produce(kafka, burst));
                readDecisions(kafka, transactions, REQUESTS / 3);
            }
            try (RiskStreamsService restarted = new RiskStreamsService(config, kafka)) {
                restarted.start();
                sent.get(2, TimeUnit.MINUTES);

                // Then every request has exactly one INITIAL decision
                List<RiskDecision> decisions = readDecisions(kafka, transactions, REQUESTS);
                Map<String, Integer> perTransaction = new HashMap<>();
                Map<String, Long> approvedPerAccount = new HashMap<>();
                long approvedMinor = 0;
                int declinedByMerchantLimit = 0;
                for (RiskDecision decision : decisions) {
                    assertThat(decision.getKind()).isEqualTo(DecisionKind.INITIAL);
                    perTransaction.merge(decision.getTransactionId(), 1, Integer::sum);
                    if (decision.getOutcome() == Outcome.APPROVE) {
                        approvedMinor += decision.getAmount().getAmountMinor();
                        approvedPerAccount.merge(decision.getAccountId(), decision.getAmount().getAmountMinor(),
                                Long::sum);
                    } else if (decision.getReasons().stream().anyMatch(r -> r.getRuleId().equals("merchant-daily"))) {
                        declinedByMerchantLimit++;
                    }
                }
                assertThat(perTransaction).hasSize(REQUESTS);
                assertThat(perTransaction.values()).allMatch(count -> count == 1);
                // And the merchant's approvals never pass its limit, and strand at most what the slices may hold
                long partitions = Topics.PAYMENT_REQUESTS.partitions();
                long chunkMinor = MERCHANT_DAILY / (8 * partitions);
                long strandedBoundMinor = partitions * (chunkMinor + chunkMinor / 2 + MAXIMUM_AMOUNT);
                assertThat(approvedMinor).isLessThanOrEqualTo(MERCHANT_DAILY)
                        .isGreaterThanOrEqualTo(MERCHANT_DAILY - strandedBoundMinor);
                assertThat(declinedByMerchantLimit).isPositive();
                assertThat(approvedPerAccount.values()).allMatch(approved -> approved <= ACCOUNT_DAILY);
            }
        }
    }

    private static List<PaymentRequest> burst(Random random, String accountPrefix) {
        List<PaymentRequest> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(request("tx-" + UUID.randomUUID(), accountPrefix + random.nextInt(ACCOUNTS),
                    10_000L + random.nextInt((int) (MAXIMUM_AMOUNT - 10_000L + 1)), "KES", REQUESTED_AT.plusMillis(i)));
        }
        return requests;
    }

    private static void publishRuleSet(KafkaContext kafka) throws Exception {
        RuleSetPublished ruleSet = RuleSetPublished.newBuilder()
                .setMerchantId(MERCHANT)
                .setVersion("burst-v1")
                .setRules(List.of(
                        new Rule("account-daily", "limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": "
                                + ACCOUNT_DAILY + "}}", RuleAction.BLOCK, RuleMode.ENFORCE),
                        new Rule("merchant-daily", "limit", "{\"dimension\": \"MERCHANT\", \"interval\": \"DAY\", "
                                + "\"limits\": {\"KES\": " + MERCHANT_DAILY + "}}", RuleAction.BLOCK, RuleMode.ENFORCE)))
                .setApiKeyId("key-1")
                .setPublishedAt(REQUESTED_AT)
                .build();
        try (KafkaProducer<String, RuleSetPublished> producer = kafka.producer(Topics.RISK_RULESETS, "risk-burst-it")) {
            producer.send(new ProducerRecord<>(Topics.RISK_RULESETS.name(), MERCHANT, ruleSet)).get(30, TimeUnit.SECONDS);
        }
    }

    private static void produce(KafkaContext kafka, List<PaymentRequest> requests) {
        try (KafkaProducer<String, PaymentRequest> producer = kafka.producer(Topics.PAYMENT_REQUESTS, "risk-burst-it")) {
            for (PaymentRequest request : requests) {
                producer.send(new ProducerRecord<>(Topics.PAYMENT_REQUESTS.name(), request.getAccountId(), request));
            }
            producer.flush();
        }
    }

    /**
     * Reads committed decisions of {@code transactions} from the start until {@code atLeast} of them are decided;
     * when that is all of them, on to the end of the topic, so that a second decision would be read too.
     */
    private static List<RiskDecision> readDecisions(KafkaContext kafka, Set<String> transactions, int atLeast) {
        List<ConsumerRecord<String, RiskDecision>> read = new ArrayList<>();
        Set<String> decided = new HashSet<>();
        try (TopicReader<String, RiskDecision> reader =
                     TopicReader.fromBeginning(kafka, Topics.RISK_DECISIONS).within(READ_TIMEOUT)) {
            // Counts each transaction once: the predicate sees every record once, in order.
            read.addAll(reader.readUntil(record -> transactions.contains(record.value().getTransactionId())
                    && decided.add(record.value().getTransactionId()), atLeast));
            if (atLeast == transactions.size()) {
                read.addAll(reader.readToEnd());
            }
        }
        return read.stream().map(ConsumerRecord::value)
                .filter(decision -> transactions.contains(decision.getTransactionId())).toList();
    }

}
