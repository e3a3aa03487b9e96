package dev.ngao.reconciler;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderCallOutcome;
import dev.ngao.events.ProviderCallPurpose;
import dev.ngao.events.SubmissionIntent;
import dev.ngao.events.SubmissionResult;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaClusterExtension;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderAdapters;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.config.ProviderSettings;
import dev.ngao.providers.report.SettlementReportFormat;
import dev.ngao.reconciler.submit.SubmissionDispatcher;
import dev.ngao.reconciler.submit.SubmissionResultSink;
import dev.ngao.sandbox.provider.ProviderSandbox;
import dev.ngao.sandbox.provider.SandboxConfig;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox's promise under a crash, on a real broker against the simulated mobile-money hub over HTTP: a
 * dispatcher killed after its call reached the provider and before it recorded the result and committed is
 * replaced, the replacement reads the same intent and calls again, and the provider still took the payment once,
 * because both calls carried the same idempotency key. The control shows the test would see the double submission
 * if the key were not derived from the intent.
 */
@ExtendWith(KafkaClusterExtension.class)
class SubmissionCrashIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REGISTRY_SCOPE = "submission-crash-it-" + UUID.randomUUID();
    private static final String API_SECRET = "sandbox-api-secret-0123456789";
    private static final ProviderKind HUB = ProviderKind.MOBILE_MONEY_HUB;

    private static KafkaContext kafka;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private ProviderSandbox sandbox;
    private ProviderAdapter hub;

    @BeforeAll
    static void connect(KafkaTestCluster cluster) {
        kafka = KafkaContext.connect(cluster.settings(REGISTRY_SCOPE));
        kafka.ensureTopics(List.of(Topics.PROVIDER_SUBMISSIONS, Topics.PROVIDER_SUBMISSION_RESULTS), "crash-it-admin");
    }

    @AfterAll
    static void close() {
        kafka.close();
        InMemorySchemaRegistry.dropScope(REGISTRY_SCOPE);
    }

    @BeforeEach
    void startSandbox() {
        // No webhook secret: the sandbox sends no webhooks, there is no ingest here to take them.
        sandbox = new ProviderSandbox(new SandboxConfig(Map.of(SandboxConfig.HTTP_PORT, 0,
                SandboxConfig.key(HUB, "api.secret"), API_SECRET)), Clock.systemUTC(),
                (path, headers, body) -> CompletableFuture.completedFuture(200), sent -> { });
        URI base = URI.create("http://127.0.0.1:" + sandbox.start() + "/");
        hub = ProviderAdapters.create(ProviderSettings.defaults(HUB, base.resolve(HUB.id()), "ngao-" + HUB.id(),
                API_SECRET).withRetries(0, Duration.ofMillis(10), Duration.ofMillis(10)), scheduler);
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
        scheduler.shutdownNow();
    }

    @Test
    void shouldSubmitOnceWhenTheDispatcherIsKilledAfterTheCallAndBeforeItsCommit() throws Exception {
        // Given an approved payment's intent in the outbox
        String transactionId = "tx-crash-" + UUID.randomUUID();
        String group = "crash-it-dispatch-" + UUID.randomUUID();
        writeIntent(transactionId);
        CountingAdapter calls = new CountingAdapter(hub, UnaryOperator.identity());

        // When a dispatcher calls the provider and dies before recording the result or committing
        crashAfterTheCall(group, calls);
        assertThat(calls.count(transactionId)).isEqualTo(1);
        assertThat(sandbox.provider(HUB).submissions(transactionId)).isEqualTo(1);

        // And its replacement in the same group reads the intent again and dispatches it to the end
        SubmissionResult result = dispatchToTheEnd(group, calls, transactionId);

        // Then the provider was called twice and took one submission, whose answer is recorded
        assertThat(calls.count(transactionId)).isEqualTo(2);
        assertThat(sandbox.provider(HUB).submissions(transactionId)).isEqualTo(1);
        assertThat(result.getOutcome()).isEqualTo(ProviderCallOutcome.ANSWERED);
        assertThat(result.getIdempotencyKey())
                .isEqualTo(SubmissionDispatcher.idempotencyKey(ProviderCallPurpose.SUBMIT, transactionId));
        assertThat(result.getProviderReference())
                .isEqualTo(sandbox.provider(HUB).find(transactionId).orElseThrow().reference());
    }

    @Test
    void shouldSeeTheDoubleSubmissionWhenEachCallCarriesAKeyOfItsOwn() throws Exception {
        // Given the same crash, with a caller that sends a fresh key on every call (as a random key would be)
        String transactionId = "tx-control-" + UUID.randomUUID();
        String group = "crash-it-control-" + UUID.randomUUID();
        writeIntent(transactionId);
        CountingAdapter calls = new CountingAdapter(hub, key -> key + "-" + UUID.randomUUID());

        // When
        crashAfterTheCall(group, calls);
        dispatchToTheEnd(group, calls, transactionId);

        // Then the provider took the payment twice: what the crash test above would detect
        assertThat(calls.count(transactionId)).isEqualTo(2);
        assertThat(sandbox.provider(HUB).submissions(transactionId)).isEqualTo(2);
    }

    private static void writeIntent(String transactionId) throws Exception {
        PaymentRequest request = AcceptingAdapter.request(transactionId);
        SubmissionIntent intent = SubmissionIntent.newBuilder().setTransactionId(transactionId).setProvider(HUB.id())
                .setPurpose(ProviderCallPurpose.SUBMIT).setAttempt(1).setRequest(request)
                .setIntendedAt(Instant.now()).build();
        try (KafkaProducer<String, SubmissionIntent> producer = kafka.producer(Topics.PROVIDER_SUBMISSIONS,
                "crash-it-processor")) {
            producer.send(new ProducerRecord<>(Topics.PROVIDER_SUBMISSIONS.name(), transactionId, intent))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** A dispatcher that dies once its call came back: no result recorded, no offset committed. */
    private static void crashAfterTheCall(String group, ProviderAdapter adapter) throws InterruptedException {
        SubmissionDispatcher doomed = new SubmissionDispatcher(kafka.consumer(Topics.PROVIDER_SUBMISSIONS,
                group + "-1", group), Map.of(HUB.id(), adapter), results -> {
                    throw new IllegalStateException("killed after the call, before recording and committing");
                }, Duration.ofSeconds(10), Duration.ofMillis(200), Clock.systemUTC());
        Thread thread = new Thread(doomed, "doomed-dispatcher");
        thread.setUncaughtExceptionHandler((failed, e) -> { });
        thread.start();
        thread.join(WAIT.toMillis());
        assertThat(thread.isAlive()).as("the doomed dispatcher died").isFalse();
    }

    /** A healthy dispatcher of the same group, run until the transaction's result is on the results topic. */
    private static SubmissionResult dispatchToTheEnd(String group, ProviderAdapter adapter, String transactionId)
            throws InterruptedException {
        try (KafkaProducer<String, SubmissionResult> producer = kafka.producer(Topics.PROVIDER_SUBMISSION_RESULTS,
                group + "-results")) {
            SubmissionDispatcher dispatcher = new SubmissionDispatcher(kafka.consumer(Topics.PROVIDER_SUBMISSIONS,
                    group + "-2", group), Map.of(HUB.id(), adapter), SubmissionResultSink.kafka(producer),
                    Duration.ofSeconds(10), Duration.ofMillis(200), Clock.systemUTC());
            Thread thread = new Thread(dispatcher, "replacement-dispatcher");
            thread.start();
            try {
                return awaitResult(transactionId);
            } finally {
                dispatcher.stop();
                thread.join(WAIT.toMillis());
            }
        }
    }

    private static SubmissionResult awaitResult(String transactionId) {
        try (TopicReader<String, SubmissionResult> reader =
                     TopicReader.fromBeginning(kafka, Topics.PROVIDER_SUBMISSION_RESULTS).within(WAIT)) {
            return reader.awaitFirst(record -> record.value().getTransactionId().equals(transactionId)).value();
        }
    }

    /** Counts the submissions made through {@code delegate} per transaction, with the key {@code keys} makes of the caller's. */
    private static final class CountingAdapter implements ProviderAdapter {

        private final ProviderAdapter delegate;
        private final UnaryOperator<String> keys;
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        CountingAdapter(ProviderAdapter delegate, UnaryOperator<String> keys) {
            this.delegate = delegate;
            this.keys = keys;
        }

        /** Calls for one transaction (the topic holds the intents of every test). */
        int count(String transactionId) {
            return counts.getOrDefault(transactionId, new AtomicInteger()).get();
        }

        @Override
        public ProviderKind kind() {
            return delegate.kind();
        }

        @Override
        public CompletionStage<ProviderStatusResult> submit(PaymentRequest request, String idempotencyKey) {
            counts.computeIfAbsent(request.getTransactionId(), ignored -> new AtomicInteger()).incrementAndGet();
            return delegate.submit(request, keys.apply(idempotencyKey));
        }

        @Override
        public CompletionStage<ProviderStatusResult> queryStatus(String transactionId, String providerReference) {
            return delegate.queryStatus(transactionId, providerReference);
        }

        @Override
        public CompletionStage<Boolean> probe() {
            return delegate.probe();
        }

        @Override
        public SettlementReportFormat reportFormat() {
            return delegate.reportFormat();
        }
    }
}
