package dev.ngao.risk;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ResolutionSource;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Rule;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.ngao.risk.PaymentRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The step-up outcome through a real broker: a rule set asking for a challenge, a challenge completed by its
 * result on risk.reviews, and one left to expire (the shortest timeout the configuration allows, 30 s).
 */
class RiskStreamsChallengeIT {

    private static final Instant REQUESTED_AT = Instant.parse("2025-03-10T08:00:00Z");
    /** The timeout (30 s), the grace (30 s), the sweep (5 s) and the commit, with room for a busy machine. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(120);
    private static final String MERCHANT = "merchant-1";

    private static KafkaTestCluster cluster;

    @TempDir
    Path stateDirectory;

    private String registryScope;

    @BeforeAll
    static void startCluster() {
        cluster = KafkaTestCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void chooseScope() {
        registryScope = "risk-challenge-it-" + UUID.randomUUID();
    }

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(registryScope);
    }

    @Test
    void shouldApproveAPassedChallengeAndDeclineOneThatExpiresWhenRunningAgainstABroker() throws Exception {
        // Given the service with a 30 s challenge timeout, and the merchant's rule set challenging 5,000 and more
        Map<String, String> environment = new HashMap<>(cluster.environment(registryScope));
        environment.put("NGAO_RISK_APPLICATION_ID", "risk-challenge-it-" + UUID.randomUUID());
        environment.put("NGAO_RISK_STATE_DIR", stateDirectory.toString());
        environment.put("NGAO_RISK_HTTP_PORT", "0");
        environment.put("NGAO_RISK_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        environment.put("NGAO_RISK_CHALLENGE_TIMEOUT_SECONDS", "30");
        RiskConfig config = RiskConfig.fromEnvironment(environment);
        try (KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(config));
             RiskStreamsService service = new RiskStreamsService(config, kafka);
             KafkaConsumer<String, RiskDecision> decisions = kafka.consumer(Topics.RISK_DECISIONS,
                     "risk-challenge-it-reader", null)) {
            service.start();
            produce(kafka, Topics.RISK_RULESETS, MERCHANT, RuleSetPublished.newBuilder()
                    .setMerchantId(MERCHANT)
                    .setVersion("step-up-v1")
                    .setRules(List.of(new Rule("large-step-up", "off-hours", "{\"zone\": \"UTC\", \"from\": \"00:00\", "
                            + "\"to\": \"23:59\", \"minimums\": {\"KES\": 5000}}", RuleAction.CHALLENGE,
                            RuleMode.ENFORCE)))
                    .setApiKeyId("key-1")
                    .setPublishedAt(Instant.now())
                    .build());
            assign(decisions);

            // When large payments arrive (the first ones may be decided before the rule set is read) until one is
            // challenged, and then one more
            String passed = challengedPayment(kafka, decisions, "tx-pass-");
            String expiring = challengedPayment(kafka, decisions, "tx-expire-");

            // And the merchant posts a passed verification for the first
            produce(kafka, Topics.RISK_REVIEWS, passed, ReviewResolution.newBuilder()
                    .setResolutionId("chl-" + passed)
                    .setTransactionId(passed)
                    .setMerchantId(MERCHANT)
                    .setOutcome(Outcome.APPROVE)
                    .setAnalystKeyId("merchant-key")
                    .setResolvedAt(Instant.now())
                    .setSource(ResolutionSource.CHALLENGE)
                    .build());

            // Then the first ends in one CHALLENGE_RESULT approving it; the second, left alone, in one declining it
            // for want of a result
            RiskDecision approved = read(decisions, decision -> decision.getTransactionId().equals(passed)
                    && decision.getKind() == DecisionKind.CHALLENGE_RESULT);
            assertThat(approved.getOutcome()).isEqualTo(Outcome.APPROVE);
            assertThat(approved.getResolutionId()).isEqualTo("chl-" + passed);
            RiskDecision expired = read(decisions, decision -> decision.getTransactionId().equals(expiring)
                    && decision.getKind() == DecisionKind.CHALLENGE_RESULT);
            assertThat(expired.getOutcome()).isEqualTo(Outcome.DECLINE);
            assertThat(expired.getReasons()).extracting(DecisionReason::getRuleId).contains("challenge-expired");
            assertThat(expired.getDecidedAt()).isAfterOrEqualTo(expired.getChallengeExpiresAt());
        }
    }

    /** Sends payments of 8,000 KES until one is challenged (within the read timeout); returns its id. */
    private static String challengedPayment(KafkaContext kafka, KafkaConsumer<String, RiskDecision> decisions,
                                            String prefix) throws Exception {
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            String transactionId = prefix + attempt;
            PaymentRequest payment = request(transactionId, "acct-" + transactionId, 8_000L, "KES", REQUESTED_AT);
            produce(kafka, Topics.PAYMENT_REQUESTS, payment.getAccountId(), payment);
            RiskDecision decided = read(decisions, decision -> decision.getTransactionId().equals(transactionId));
            if (decided.getOutcome() == Outcome.CHALLENGE) {
                assertThat(decided.getChallengeExpiresAt()).isEqualTo(decided.getDecidedAt().plusSeconds(30));
                return transactionId;
            }
        }
        throw new AssertionError("no payment was challenged within " + READ_TIMEOUT);
    }

    private static <V> void produce(KafkaContext kafka, Topic<String, V> topic, String key, V value) throws Exception {
        try (KafkaProducer<String, V> producer = kafka.producer(topic, "risk-challenge-it-producer")) {
            producer.send(new ProducerRecord<>(topic.name(), key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static void assign(KafkaConsumer<String, RiskDecision> consumer) {
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.RISK_DECISIONS.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The first committed decision from the consumer's position on that {@code matches}. */
    private static RiskDecision read(KafkaConsumer<String, RiskDecision> consumer, Predicate<RiskDecision> matches) {
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        List<RiskDecision> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, RiskDecision> record : consumer.poll(Duration.ofMillis(200))) {
                seen.add(record.value());
                if (matches.test(record.value())) {
                    return record.value();
                }
            }
        }
        throw new AssertionError("no matching decision within " + READ_TIMEOUT + "; read " + seen.size());
    }
}
