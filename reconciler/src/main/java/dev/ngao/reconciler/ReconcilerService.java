package dev.ngao.reconciler;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderHealthEvent;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.SubmissionIntent;
import dev.ngao.events.SubmissionResult;
import dev.ngao.platform.ManagedService;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.observability.ServiceMetrics;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.report.SettlementReportFormat;
import dev.ngao.providers.ProviderAdapters;
import dev.ngao.providers.health.Heartbeat;
import dev.ngao.reconciler.audit.KafkaAuditSink;
import dev.ngao.reconciler.chase.StuckPaymentChaser;
import dev.ngao.reconciler.report.DailySchedule;
import dev.ngao.reconciler.report.KafkaBreakSink;
import dev.ngao.reconciler.report.ReportReconciler;
import dev.ngao.reconciler.report.RunOrigin;
import dev.ngao.reconciler.report.RunSummary;
import dev.ngao.reconciler.submit.SubmissionDispatcher;
import dev.ngao.reconciler.submit.SubmissionResultSink;
import dev.ngao.reconciler.view.PostedPaymentsView;
import dev.ngao.reconciler.view.PostedPaymentsFollower;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * The reconciler: the decision-vs-entry matching topology (Kafka Streams), the ledger view (RocksDB, kept
 * from the ledger's, risk's and providers' topics), report runs (scheduled daily, or on demand by upload),
 * and, for the providers it has adapters of, the stuck-payment chaser and the health heartbeat.
 */
public final class ReconcilerService implements ManagedService {

    public static final String NAME = "reconciler";

    private static final Logger LOG = LoggerFactory.getLogger(ReconcilerService.class);
    private static final long CLOSE_TIMEOUT_SECONDS = 30;
    /** Longer than the producer's delivery timeout (120 s): Kafka answers first, with its own error. */
    private static final long SEND_TIMEOUT_SECONDS = 150;

    private final ReconcilerConfig config;
    private final KafkaContext kafka;
    /** By provider id; filled from configuration at start when none were given. */
    private final Map<String, ProviderAdapter> adapters;
    private final Clock clock;
    /** Both Kafka Streams applications' metrics (the matcher's matched, breaks and duplicates sensors among them),
     * the ledger view's consumer, and the breaks of report runs and of the chaser. */
    private final ServiceMetrics metrics = new ServiceMetrics(NAME);
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private final ReconcilerStreams streams;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private PostedPaymentsView view;
    private PostedPaymentsFollower follower;
    private ReportReconciler reconciler;
    private ReportFiles reportFiles;
    /** audit.reconciler for report runs and the breaks of runs and of the chaser (matching writes its own). */
    private KafkaAuditSink audit;
    private ReconcilerHttp http;
    private volatile boolean closed;

    /**
     * The reconciler with an adapter of every provider built from the {@code providers.*} keys, or none when
     * {@code reconciler.providers.enabled} is false (matching and the ledger view only).
     */
    public ReconcilerService(ReconcilerConfig config, KafkaContext kafka) {
        this(config, kafka, Map.of(), Clock.systemUTC());
    }

    /**
     * @param adapters by provider id ({@code ProviderKind.id()}): their report formats are the ones reports are
     *                 read with, their status queries chase stuck payments, their probes feed the heartbeat
     */
    public ReconcilerService(ReconcilerConfig config, KafkaContext kafka, Map<String, ProviderAdapter> adapters,
                             Clock clock) {
        this.config = config;
        this.kafka = kafka;
        this.adapters = new TreeMap<>(adapters);
        this.clock = clock;
        this.streams = new ReconcilerStreams(config, kafka, metrics, failure);
    }

    /** Adapters from configuration when none were given and providers are enabled. */
    private void buildAdapters() {
        if (!adapters.isEmpty() || !config.providersEnabled()) {
            return;
        }
        ProviderAdapters built = new ProviderAdapters(config.providerSettings());
        started.push(built);
        built.all().forEach(adapter -> adapters.put(adapter.kind().id(), adapter));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start() throws InterruptedException {
        kafka.ensureTopics(List.of(Topics.PAYMENT_REQUESTS, Topics.RISK_DECISIONS, Topics.LEDGER_ENTRIES,
                        Topics.PROVIDER_EVENTS, Topics.RECON_BREAKS, Topics.PROVIDER_STATUS_QUERIES,
                        Topics.PROVIDER_SUBMISSIONS, Topics.PROVIDER_SUBMISSION_RESULTS, Topics.PROVIDER_HEALTH,
                        Topics.AUDIT_RECONCILER),
                config.applicationId() + "-admin");
        startMatching();
        try {
            buildAdapters();
            startSubmitter();
            startView();
            startReports();
            startSchedules();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startMatching() throws InterruptedException {
        LOG.info("Starting {} (application id {}, grace period {}, providers {})", NAME, config.applicationId(),
                config.gracePeriod(), new TreeMap<>(adapters).keySet());
        streams.startMatching();
    }

    /**
     * The submission topology, a Kafka Streams application of its own ({@code <application id>-submit}, state
     * under {@code <state dir>/submit}) so matching and submission rebalance and restore independently, and its
     * dispatcher: a plain consumer (group {@code <application id>-dispatch}) on its own thread, the only one that
     * calls the providers to submit.
     */
    private void startSubmitter() throws InterruptedException {
        if (adapters.isEmpty() || !config.submitEnabled()) {
            LOG.info("Approved payments are not submitted to providers by this reconciler");
            return;
        }
        startDispatcher();
        started.push(streams.startSubmission());
    }

    private void startDispatcher() {
        // read_committed (an intent exists once the processor's transaction committed), manual commits, and at
        // most the intents whose calls may be in flight together.
        Map<String, Object> consumerConfig = KafkaClients.consumer(kafka.settings(),
                config.applicationId() + "-dispatch", config.applicationId() + "-dispatch");
        consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, SubmissionDispatcher.MAX_INTENTS_PER_POLL);
        TopicSerdes<String, SubmissionIntent> serdes = kafka.serdes(Topics.PROVIDER_SUBMISSIONS);
        Consumer<String, SubmissionIntent> intents = new KafkaConsumer<>(consumerConfig,
                serdes.keySerde().deserializer(), serdes.valueSerde().deserializer());
        KafkaProducer<String, SubmissionResult> results = kafka.producer(Topics.PROVIDER_SUBMISSION_RESULTS,
                config.applicationId() + "-dispatch-results");
        metrics.bind(intents);
        SubmissionDispatcher dispatcher = new SubmissionDispatcher(intents, adapters,
                SubmissionResultSink.kafka(results), config.submissionPolicy().callTimeout(),
                SubmissionDispatcher.POLL_TIMEOUT, clock);
        Thread thread = new Thread(() -> {
            try {
                dispatcher.run();
            } catch (RuntimeException e) {
                LOG.error("The submission dispatcher failed", e);
                failure.complete(e);
                return;
            }
            if (!closed) {
                failure.complete(new IllegalStateException("the submission dispatcher stopped"));
            }
        }, "reconciler-submission-dispatcher");
        // Closed after the dispatcher stopped (pushed first, popped last): no result is written to a closed producer.
        started.push(results);
        thread.start();
        started.push(() -> {
            dispatcher.stop();
            thread.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
        });
    }

    private void startView() {
        view = PostedPaymentsView.open(config.viewDirectory());
        started.push(view);
        Consumer<String, Object> viewConsumer = PostedPaymentsFollower.consumer(kafka, config.applicationId() + "-view");
        metrics.bind(viewConsumer);
        follower = new PostedPaymentsFollower(viewConsumer, view, config.viewPollTimeout());
        Thread thread = new Thread(() -> {
            follower.run();
            if (!closed) {
                failure.complete(new IllegalStateException("the ledger view follower stopped"));
            }
        }, "reconciler-ledger-view");
        thread.start();
        started.push(() -> {
            follower.stop();
            thread.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
        });
    }

    private void startReports() {
        // Closed last of the producers (pushed first, popped last): the chaser's and the runs' records go before it.
        KafkaProducer<String, AuditRecord> auditProducer = kafka.producer(Topics.AUDIT_RECONCILER,
                config.applicationId() + "-audit");
        started.push(auditProducer);
        audit = new KafkaAuditSink(auditProducer);
        KafkaProducer<String, ReconciliationBreak> breaks = kafka.producer(Topics.RECON_BREAKS,
                config.applicationId() + "-breaks");
        started.push(breaks);
        reconciler = new ReportReconciler(view, new KafkaBreakSink(breaks, audit, metrics.registry(), "report"), audit,
                clock, config.amountToleranceMinor(), config.reportDirectory());
        // Popped after the HTTP server and the scheduler stopped, before the view closes: no run is left under it.
        started.push(() -> reconciler.close(Duration.ofSeconds(CLOSE_TIMEOUT_SECONDS)));
        reportFiles = new ReportFiles(reconciler, formats(), config.inboxDirectory(), clock);
        http = ReconcilerHttp.start(config, kafka, reconciler, formats(),
                () -> follower.running() && streams.serving(), metrics);
        started.push(http);
    }
    private void startSchedules() {
        ScheduledExecutorService scheduler = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "reconciler-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        started.push(() -> {
            scheduler.shutdownNow();
            scheduler.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        });
        if (!adapters.isEmpty()) {
            KafkaProducer<String, ProviderEvent> queries = kafka.producer(Topics.PROVIDER_STATUS_QUERIES,
                    config.applicationId() + "-status-queries");
            KafkaProducer<String, ProviderHealthEvent> health = kafka.producer(Topics.PROVIDER_HEALTH,
                    config.applicationId() + "-health");
            // Closed after the heartbeat (pushed later, popped first), so no change is written to a closed producer.
            KafkaProducer<String, ReconciliationBreak> flags = kafka.producer(Topics.RECON_BREAKS,
                    config.applicationId() + "-flags");
            started.push(queries);
            started.push(health);
            started.push(flags);
            StuckPaymentChaser chaser = new StuckPaymentChaser(view, adapters, config.chasePolicy(),
                    event -> acknowledged(queries, new ProducerRecord<>(Topics.PROVIDER_STATUS_QUERIES.name(),
                            event.getTransactionId(), event)),
                    new KafkaBreakSink(flags, audit, metrics.registry(), "chase"), clock, RandomGenerator.getDefault());
            Heartbeat heartbeat = new Heartbeat(List.copyOf(adapters.values()), config.failuresBeforeDown(),
                    transition -> acknowledged(health, new ProducerRecord<>(Topics.PROVIDER_HEALTH.name(),
                            transition.provider(), transition.toEvent())), clock);
            started.push(heartbeat);
            ReconcilerHealth.registerProviderGauges(heartbeat, adapters.keySet(), metrics.registry());
            heartbeat.start(config.heartbeatInterval());
            long chaseMs = config.chaseInterval().toMillis();
            scheduler.scheduleWithFixedDelay(guarded("chase", chaser::chaseOnce), chaseMs, chaseMs,
                    TimeUnit.MILLISECONDS);
        }
        if (config.scheduleEnabled() && !adapters.isEmpty()) {
            DailySchedule schedule = new DailySchedule(config.scheduleTime(), config.scheduleZone());
            reportFiles.scheduleDaily(scheduler, schedule);
        }
    }

    /**
     * Reconciles a report file of {@code provider}'s settlement {@code day} now (the on-demand entry point inside
     * the process; from outside, upload the file).
     */
    public RunSummary reconcileFile(String provider, LocalDate day, Path report) throws IOException {
        return reportFiles.reconcile(provider, day, report, RunOrigin.FILE);
    }

    /** The port the report upload API listens on (useful when configured as 0). */
    public int httpPort() {
        return http.port();
    }

    /** The ledger view, for tests and the on-demand run. */
    public PostedPaymentsView view() {
        return view;
    }

    private Map<String, SettlementReportFormat> formats() {
        Map<String, SettlementReportFormat> formats = new TreeMap<>();
        adapters.forEach((provider, adapter) -> formats.put(provider, adapter.reportFormat()));
        return formats;
    }

    private static <V> void acknowledged(KafkaProducer<String, V> producer, ProducerRecord<String, V> record) {
        try {
            producer.send(record).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("not acknowledged by " + record.topic(), e);
        }
    }

    /** A scheduled task must not die silently: a failure is logged and the next period tries again. */
    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("Reconciler {} failed, next period tries again", what, e);
            }
        };
    }

    /** The current Kafka Streams state; CREATED before start. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Completes when Kafka Streams stops, with ERROR if a failure stopped it. */
    public CompletableFuture<KafkaStreams.State> terminated() {
        return streams.terminated();
    }

    @Override
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    @Override
    public void close() {
        closed = true;
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing a reconciler resource failed: {}", e.getMessage());
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        streams.closeMatching();
        metrics.close();
    }
}
