package dev.ngao.reconciler;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.providers.ProviderKind;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The submission application on a real broker: request and approval in, one call to the provider (from the
 * dispatcher, never from a stream thread), its answer out.
 */
@ExtendWith(KafkaClusterExtension.class)
class SubmissionIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final String REGISTRY_SCOPE = "submission-it-" + UUID.randomUUID();

    @TempDir
    Path stateDirectory;

    @AfterAll
    static void dropRegistryScope() {
        InMemorySchemaRegistry.dropScope(REGISTRY_SCOPE);
    }

    @Test
    void shouldSubmitAnApprovedPaymentToItsProviderOnceAndWriteTheAnswer(KafkaTestCluster cluster) throws Exception {
        // Given the service with one provider adapter that accepts every payment
        Map<String, String> environment = new HashMap<>(cluster.environment(REGISTRY_SCOPE));
        environment.put("NGAO_RECONCILER_APPLICATION_ID", "reconciler-it-" + UUID.randomUUID());
        environment.put("NGAO_RECONCILER_STATE_DIR", stateDirectory.toString());
        environment.put("NGAO_RECONCILER_HTTP_PORT", "0");
        environment.put("NGAO_RECONCILER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        ReconcilerConfig config = ReconcilerConfig.fromEnvironment(environment);
        List<String> submitted = new CopyOnWriteArrayList<>();
        AcceptingAdapter hub = new AcceptingAdapter(submitted);
        try (KafkaContext kafka = KafkaContext.connect(KafkaSettings.from(config));
             ReconcilerService service = new ReconcilerService(config, kafka,
                     Map.of(ProviderKind.MOBILE_MONEY_HUB.id(), hub), Clock.systemUTC())) {
            service.start();
            String transactionId = "tx-submit-" + UUID.randomUUID();

            // When its request and its approval arrive
            try (KafkaProducer<String, PaymentRequest> producer = kafka.producer(Topics.PAYMENT_REQUESTS,
                    "reconciler-it-ingest")) {
                producer.send(new ProducerRecord<>(Topics.PAYMENT_REQUESTS.name(), "account-" + transactionId,
                        AcceptingAdapter.request(transactionId))).get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, RiskDecision> producer = kafka.producer(Topics.RISK_DECISIONS, "reconciler-it-risk")) {
                producer.send(new ProducerRecord<>(Topics.RISK_DECISIONS.name(), transactionId,
                        ProviderFixtures.approval(transactionId, ProviderKind.MOBILE_MONEY_HUB.id(), 25_000L, "KES",
                                Instant.now()))).get(30, TimeUnit.SECONDS);
            }

            // Then the provider is asked once and its answer is on providers.status-queries
            ProviderEvent answer;
            try (TopicReader<String, ProviderEvent> reader =
                         TopicReader.fromBeginning(kafka, Topics.PROVIDER_STATUS_QUERIES).within(READ_TIMEOUT)) {
                answer = reader.awaitFirst(record -> record.value().getTransactionId().equals(transactionId)).value();
            }
            assertThat(answer.getStatus()).isEqualTo(ProviderStatus.PENDING);
            assertThat(answer.getProviderReference()).isEqualTo("HUB-" + transactionId);
            assertThat(submitted).containsExactly(transactionId);
            // The call came from the dispatcher's thread: a stream thread makes none, so no replay repeats it
            assertThat(hub.threads).containsExactly("reconciler-submission-dispatcher");
        }
    }

}
