package dev.ngao.risk.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.StopScope;
import dev.ngao.events.StopTraffic;
import dev.ngao.events.ListDimension;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.ListKind;
import dev.ngao.events.Rule;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.observability.Traceparent;
import dev.ngao.platform.pii.PiiProtector;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.risk.RiskConfig;
import dev.ngao.risk.RiskStreamsService;
import dev.ngao.rules.RuleSetCompiler;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

@ExtendWith(KafkaClusterExtension.class)
class ChangeAuditFollowerIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Instant PUBLISHED_AT = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final String EMAIL = "ana.perez@example.com";
    private static final String MSISDN = "+254712345678";
    private static final PiiProtector PII = new PiiProtector("audit-it-pepper-0123456789".getBytes(StandardCharsets.UTF_8));

    /**
     * One registry scope for the class: the service's global stores read back every record earlier tests put on
     * the shared topics, so their schemas must stay known.
     */
    private static String registryScope;

    @TempDir
    Path stateDirectory;

    private final Logger followerLog = (Logger) LoggerFactory.getLogger(ChangeAuditFollower.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private String merchant;

    @BeforeAll
    static void chooseRegistryScope() {
        registryScope = "change-audit-it-" + UUID.randomUUID();
    }

    @AfterAll
    static void dropRegistryScope() {
        InMemorySchemaRegistry.dropScope(registryScope);
    }

    @BeforeEach
    void chooseMerchant() {
        merchant = "shop-" + UUID.randomUUID().toString().substring(0, 8);
        logged.start();
        followerLog.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        followerLog.detachAppender(logged);
    }

    @Test
    @SuppressWarnings("try") // the followers are only started and closed by their try blocks
    void shouldAuditRuleSetsAcceptedAndRefusedAndListChangesWithoutClearPersonalValuesOnceEach(
            KafkaTestCluster cluster) throws Exception {
        try (KafkaContext kafka = KafkaContext.connect(cluster.settings(registryScope))) {
            kafka.ensureTopics(List.of(Topics.RISK_RULESETS, Topics.RISK_LISTS, Topics.RISK_STOPS, Topics.AUDIT_RISK),
                    "change-audit-it");
            String group = "change-audit-it-" + UUID.randomUUID();

            // Given a rule set that compiles (published with a trace), one that does not, an e-mail and a phone
            // number put on the merchant's block list, and the e-mail's entry removed again
            Traceparent trace = Traceparent.newTrace();
            publish(kafka, Topics.RISK_RULESETS, merchant, ruleSet("v1", new Rule("per-transaction", "limit",
                    "{\"interval\": \"PER_TRANSACTION\", \"limits\": {\"KES\": 1000}}", RuleAction.BLOCK,
                    RuleMode.ENFORCE)), trace);
            publish(kafka, Topics.RISK_RULESETS, merchant, ruleSet("v2",
                    new Rule("teleport", "teleport-check", "{}", RuleAction.BLOCK, RuleMode.ENFORCE)), null);
            ListEntryChange email = entry(ListDimension.EMAIL, PII.hash("email", EMAIL), PiiProtector.mask(EMAIL, 2, 12));
            ListEntryChange phone = entry(ListDimension.PHONE, PII.hash("msisdn", MSISDN), PiiProtector.maskMsisdn(MSISDN));
            publish(kafka, Topics.RISK_LISTS, key(email), email, null);
            publish(kafka, Topics.RISK_LISTS, key(phone), phone, null);
            publish(kafka, Topics.RISK_LISTS, key(email), null, null);
            // And an operator's stop of the merchant's payouts, set and lifted
            String stopKey = Topics.stopKey(StopScope.MERCHANT, merchant, StopTraffic.PAYOUTS);
            publish(kafka, Topics.RISK_STOPS, stopKey, stop(stopKey, true), null);
            publish(kafka, Topics.RISK_STOPS, stopKey, stop(stopKey, false), null);

            // When the follower reads them
            List<AuditRecord> audited;
            try (ChangeAuditFollower follower = ChangeAuditFollower.start(kafka, group, new RuleSetCompiler()::compile)) {
                audited = readAuditOf(kafka, 7);
            }

            // Then the accepted rule set names who published it, under owner, version and publication time
            AuditRecord accepted = only(audited, "ruleset:" + merchant + ":v1:" + PUBLISHED_AT.toEpochMilli());
            assertThat(accepted.getOutcome()).isEqualTo(AuditOutcome.SUCCESS);
            assertThat(accepted.getActor()).isEqualTo("ops-key");
            assertThat(accepted.getDetails()).containsEntry("result", "accepted")
                    .containsEntry("traceId", trace.traceId());
            // And the refused one carries the compiler's problem
            AuditRecord refused = only(audited, "ruleset:" + merchant + ":v2:" + PUBLISHED_AT.toEpochMilli());
            assertThat(refused.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
            assertThat(refused.getDetails()).containsEntry("result", "refused").containsEntry("problemCount", "1")
                    .hasEntrySatisfying("problem.001", problem -> assertThat(problem).contains("teleport"));
            // And each list change is one record keyed by its entry, naming merchant, list and dimension
            assertThat(audited).filteredOn(record -> record.getSubjectType().equals("list-entry"))
                    .extracting(AuditRecord::getAction)
                    .containsExactlyInAnyOrder("list.entry.set", "list.entry.set", "list.entry.removed");
            assertThat(audited).filteredOn(record -> record.getAction().equals("list.entry.set"))
                    .allSatisfy(record -> assertThat(record.getDetails()).containsEntry("merchantId", merchant)
                            .containsEntry("list", "BLOCK").containsKeys("dimension", "valueHash", "valueMasked")
                            .doesNotContainKey("value"));
            // And the stop is audited as set, then lifted, by the operator's key, with its reason
            assertThat(audited).filteredOn(record -> record.getSubjectType().equals("emergency-stop"))
                    .extracting(AuditRecord::getAction, AuditRecord::getActor, AuditRecord::getSubjectId)
                    .containsExactly(tuple("emergency-stop.set", "ops-key", stopKey),
                            tuple("emergency-stop.lifted", "ops-key", stopKey));
            assertThat(audited).filteredOn(record -> record.getSubjectType().equals("emergency-stop"))
                    .allSatisfy(record -> assertThat(record.getDetails()).containsEntry("scope", "MERCHANT")
                            .containsEntry("target", merchant).containsEntry("traffic", "PAYOUTS")
                            .containsEntry("reason", "mass chargebacks"));
            // And no record holds the e-mail or the phone number in clear
            assertThat(audited).allSatisfy(record -> assertThat(record.toString())
                    .doesNotContain(EMAIL, "ana.perez", MSISDN, "254712345678"));

            // When a follower of the same group starts again and one more entry changes
            ListEntryChange device = entry(ListDimension.DEVICE, PII.hash("device", "device-fingerprint-1"), "****nt-1");
            try (ChangeAuditFollower again = ChangeAuditFollower.start(kafka, group, new RuleSetCompiler()::compile)) {
                publish(kafka, Topics.RISK_LISTS, key(device), device, null);
                audited = readAuditOf(kafka, 8);
            }

            // Then only the new change is audited: what was written and committed is not read again
            assertThat(audited).hasSize(8);
            assertThat(audited).extracting(AuditRecord::getAuditId).doesNotHaveDuplicates();
        }

        // And the followers stopped without an error or a stack trace in their log
        assertThat(logged.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)
                || event.getThrowableProxy() != null);
    }

    @Test
    @SuppressWarnings("try") // close() is called inside try-with-resources on purpose: it must be idempotent
    void shouldAuditARuleSetPublishedWhileTheServiceRunsAndStopWithIt(KafkaTestCluster cluster) throws Exception {
        // Given the service running against the broker
        Map<String, String> environment = new HashMap<>(cluster.environment(registryScope));
        environment.put("NGAO_RISK_APPLICATION_ID", "risk-audit-it-" + UUID.randomUUID());
        environment.put("NGAO_RISK_STATE_DIR", stateDirectory.toString());
        environment.put("NGAO_RISK_HTTP_PORT", "0");
        environment.put("NGAO_RISK_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        RiskConfig config = RiskConfig.fromEnvironment(environment);
        try (KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(config));
             RiskStreamsService service = new RiskStreamsService(config, kafka)) {
            service.start();

            // When a rule set that does not compile is published
            publish(kafka, Topics.RISK_RULESETS, merchant, ruleSet("bad-1",
                    new Rule("teleport", "teleport-check", "{}", RuleAction.BLOCK, RuleMode.ENFORCE)), null);

            // Then its refusal is on audit.risk
            assertThat(readAuditOf(kafka, 1)).singleElement().satisfies(record -> {
                assertThat(record.getAction()).isEqualTo("ruleset.published");
                assertThat(record.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
            });

            // When the service is closed, twice
            service.close();
            service.close();
            assertThat(service.failure()).isNotDone();
        }

        // Then the follower stopped with it, without an error or a stack trace in its log
        assertThat(logged.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)
                || event.getThrowableProxy() != null);
    }

    private RuleSetPublished ruleSet(String version, Rule... rules) {
        return RuleSetPublished.newBuilder()
                .setMerchantId(merchant)
                .setVersion(version)
                .setRules(List.of(rules))
                .setApiKeyId("ops-key")
                .setPublishedAt(PUBLISHED_AT)
                .build();
    }

    private ListEntryChange entry(ListDimension dimension, String valueHash, String masked) {
        return ListEntryChange.newBuilder()
                .setEntryId(dimension.name().toLowerCase() + "_" + valueHash.substring(valueHash.indexOf(':') + 1))
                .setMerchantId(merchant)
                .setList(ListKind.BLOCK)
                .setDimension(dimension)
                .setValueHash(valueHash)
                .setValue(null)
                .setValueMasked(masked)
                .setReason("fraud reported by " + EMAIL)
                .setApiKeyId("ops-key")
                .setChangedAt(PUBLISHED_AT)
                .build();
    }

    private static String key(ListEntryChange entry) {
        return entry.getMerchantId() + "|" + entry.getList() + "|" + entry.getDimension() + "|" + entry.getValueHash();
    }

    private static <V> void publish(KafkaContext kafka, Topic<String, V> topic, String key, V value,
                                    Traceparent trace) throws Exception {
        try (KafkaProducer<String, V> producer = kafka.producer(topic, "change-audit-it-producer")) {
            ProducerRecord<String, V> record = new ProducerRecord<>(topic.name(), key, value);
            if (trace != null) {
                trace.writeTo(record.headers());
            }
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    private static AuditRecord only(List<AuditRecord> audited, String auditId) {
        List<AuditRecord> found = audited.stream().filter(record -> record.getAuditId().equals(auditId)).toList();
        assertThat(found).as("audit records with id %s", auditId).hasSize(1);
        return found.get(0);
    }

    /** Reads audit.risk from the beginning until {@code count} records of this test's merchant came, then to its end. */
    private List<AuditRecord> readAuditOf(KafkaContext kafka, int count) {
        List<ConsumerRecord<String, AuditRecord>> read = new ArrayList<>();
        try (TopicReader<String, AuditRecord> reader =
                     TopicReader.fromBeginning(kafka, Topics.AUDIT_RISK).within(READ_TIMEOUT)) {
            read.addAll(reader.readUntil(this::ofThisMerchant, count));
            read.addAll(reader.readToEnd());
        }
        List<AuditRecord> audited = new ArrayList<>();
        for (ConsumerRecord<String, AuditRecord> record : read) {
            if (ofThisMerchant(record)) {
                assertThat(record.key()).isEqualTo(record.value().getSubjectId());
                audited.add(record.value());
            }
        }
        return audited;
    }

    private boolean ofThisMerchant(ConsumerRecord<String, AuditRecord> record) {
        return merchant.equals(record.value().getDetails().get("merchantId"));
    }

    private static EmergencyStop stop(String stopKey, boolean active) {
        return EmergencyStop.newBuilder().setStopId(stopKey).setScope(StopScope.MERCHANT).setTarget(stopKey.split("\\|")[1])
                .setTraffic(StopTraffic.PAYOUTS).setActive(active).setReason("mass chargebacks").setApiKeyId("ops-key")
                .setChangedAt(PUBLISHED_AT).build();
    }
}
