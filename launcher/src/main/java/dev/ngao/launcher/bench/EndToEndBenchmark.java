package dev.ngao.launcher.bench;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.launcher.DemoRuleSet;
import dev.ngao.launcher.EmbeddedNgao;
import dev.ngao.launcher.LauncherConfig;
import dev.ngao.launcher.ToolMain;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.sandbox.DemoPayments;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./ngao bench-e2e}: the whole embedded Ngao (broker, every service, the provider sandbox) with the demo
 * merchant's rule set in force (the shipped catalogue, see risk-streams/rulesets/merchant-demo.yaml), driven
 * open loop through the public API: signed, idempotent {@code POST /v1/payments} of the demo payment mix at
 * fixed rates. It prints, per rate, the HTTP answer's latency and the latency from each request's intended
 * send time to its decision being readable (read_committed) on risk.decisions, both from the intended time
 * (no coordinated omission), and how many requests had no decision.
 *
 * <pre>
 *   ./ngao bench-e2e     NGAO_BENCH_E2E_RATES (default 200,1000), NGAO_BENCH_E2E_SECONDS (default 30 per rate)
 * </pre>
 */
public final class EndToEndBenchmark {

    private static final Pattern REFERENCE = Pattern.compile("\"merchantReference\":\"([^\"]+)\"");
    private static final Duration DECISION_WAIT = Duration.ofSeconds(60);
    private static final Duration READER_POLL_TIMEOUT = Duration.ofMillis(20);
    private static final Duration READER_STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(5);

    private final PrintStream out;
    /** Merchant reference -> intended send time (nanos), recorded when the load asks for the request. */
    private final Map<String, Long> intended = new ConcurrentHashMap<>();
    /** Merchant reference -> transaction id, read from payments.requests. */
    private final Map<String, String> transactions = new ConcurrentHashMap<>();
    /** Transaction id -> when its decision was read. */
    private final Map<String, Long> decided = new ConcurrentHashMap<>();

    private EndToEndBenchmark(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        ToolMain.run("bench-e2e", args, EndToEndBenchmark::run);
        System.exit(0);
    }

    private static void run(Map<String, String> given) throws Exception {
        Map<String, String> environment = new HashMap<>(given);
        List<Double> rates = ToolMain.positiveNumbers(environment, "NGAO_BENCH_E2E_RATES", "200,1000");
        Duration phase = Duration.ofSeconds(ToolMain.wholeNumber(environment, "NGAO_BENCH_E2E_SECONDS", 30, 1, 3_600));
        Path data = Files.createTempDirectory("ngao-bench-e2e");
        environment.put("NGAO_DATA_DIR", data.toString());
        // Lift the demo key's rate limit: it would cap the measurement, not describe it.
        environment.putIfAbsent("NGAO_INGEST_RATE_LIMITS", "* /v1/payments* 1000000/1s");
        new EndToEndBenchmark(System.out).run(LauncherConfig.fromEnvironment(environment), environment, rates, phase);
    }

    private void run(LauncherConfig config, Map<String, String> environment, List<Double> rates, Duration phase)
            throws Exception {
        try (EmbeddedNgao ngao = new EmbeddedNgao(config, environment)) {
            ngao.start();
            Vertx vertx = Vertx.vertx();
            try (KafkaContext kafka = KafkaContext.connect(ngao.kafkaSettings())) {
                RuleSetPublished rules = DemoRuleSet.publish(kafka, Clock.systemUTC());
                out.printf(Locale.ROOT, "end-to-end benchmark: embedded Ngao, %s rule set %s in force (%d rules: the "
                        + "shipped catalogue and the demo's review rules), demo payment mix, open loop%n",
                        rules.getMerchantId(), rules.getVersion(), rules.getRules().size());
                ConsumerLoop requests = reader(kafka, Topics.PAYMENT_REQUESTS, this::readRequest, "bench-e2e-requests");
                ConsumerLoop decisions = reader(kafka, Topics.RISK_DECISIONS, this::readDecision,
                        "bench-e2e-decisions");
                URI target = URI.create(ngao.ingestBaseUrl() + "/v1/payments");
                OpenLoopLoad load = new OpenLoopLoad(vertx, 256);
                DemoPayments payments = new DemoPayments(new SplittableRandom(11));
                RequestSigner signer = new RequestSigner(ngao.demoKeyId(), ngao.demoKeySecret());
                // Warm-up, unmeasured: JIT, connections, the first slice refills of the merchant's limit.
                load.run("warm-up", target, requests(payments, signer, target, "warm"), 100, Duration.ofSeconds(10), 202);
                out.printf(Locale.ROOT, "%-8s %9s %9s %13s %13s %13s %13s %13s %13s %9s %8s%n", "offered/s", "sent/s",
                        "202s/s", "http p50", "http p99", "http p99.9", "decided p50", "decided p99", "decided p99.9",
                        "decided", "missing");
                int phaseNumber = 0;
                for (double rate : rates) {
                    phaseNumber++;
                    String prefix = "p" + phaseNumber;
                    OpenLoopLoad.Result http = load.run(prefix, target, requests(payments, signer, target, prefix), rate,
                            phase, 202);
                    Histogram decidedMicros = awaitDecisions(prefix);
                    long expected = intended.keySet().stream().filter(reference -> reference.startsWith(prefix + "-"))
                            .count();
                    out.printf(Locale.ROOT, "%-9.0f %9.0f %9.0f %10.1f ms %10.1f ms %10.1f ms %10.1f ms %10.1f ms "
                                    + "%10.1f ms %9d %8d%n", rate, http.sendRate(), http.achievedRate(), http.p50Millis(),
                            http.p99Millis(), http.p999Millis(), millis(decidedMicros, 50), millis(decidedMicros, 99),
                            millis(decidedMicros, 99.9), decidedMicros.getTotalCount(),
                            expected - decidedMicros.getTotalCount());
                    if (http.errorCount() > 0) {
                        out.println("  HTTP errors: " + http.errors());
                    }
                }
                requests.close(READER_STOP_TIMEOUT);
                decisions.close(READER_STOP_TIMEOUT);
                load.close();
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Signed, idempotent demo payments whose merchant reference names the phase; the due time is recorded. */
    private OpenLoopLoad.Requests requests(DemoPayments payments, RequestSigner signer, URI target, String prefix) {
        long[] sequence = {0};
        return () -> {
            String reference = prefix + "-" + (++sequence[0]);
            String body = REFERENCE.matcher(payments.next()).replaceFirst(
                    Matcher.quoteReplacement("\"merchantReference\":\"" + reference + "\""));
            // Asked for at its due time by the load's scheduling thread: that is the intended send time.
            intended.put(reference, System.nanoTime());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            MultiMap headers = HttpHeaders.headers();
            signer.sign("POST", target, bytes).asMap().forEach(headers::add);
            headers.add("Content-Type", "application/json");
            headers.add("Idempotency-Key", UUID.randomUUID().toString());
            return new OpenLoopLoad.Request(headers, Buffer.buffer(bytes));
        };
    }

    /** Waits (bounded) until every request of the phase has a decision; their latencies from the intended time. */
    private Histogram awaitDecisions(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + DECISION_WAIT.toNanos();
        Histogram micros = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
        while (true) {
            micros.reset();
            long missing = 0;
            for (Map.Entry<String, Long> request : intended.entrySet()) {
                if (!request.getKey().startsWith(prefix + "-")) {
                    continue;
                }
                String transaction = transactions.get(request.getKey());
                Long decidedNanos = transaction == null ? null : decided.get(transaction);
                if (decidedNanos == null) {
                    missing++;
                } else {
                    micros.recordValue(Math.min(HIGHEST_TRACKABLE_MICROS,
                            Math.max(0, TimeUnit.NANOSECONDS.toMicros(decidedNanos - request.getValue()))));
                }
            }
            if (missing == 0 || System.nanoTime() > deadline) {
                return micros;
            }
            Thread.sleep(500);
        }
    }

    private void readRequest(PaymentRequest request) {
        if (request != null && request.getMerchantReference() != null) {
            transactions.putIfAbsent(request.getMerchantReference(), request.getTransactionId());
        }
    }

    private void readDecision(RiskDecision decision) {
        long readNanos = System.nanoTime();
        if (decision != null) {
            decided.putIfAbsent(decision.getTransactionId(), readNanos);
        }
    }

    /**
     * A loop reading one topic from its end with no consumer group (read_committed, as Ngao's clients), on a thread
     * of its own; nothing committed, and an undecodable record stops it.
     */
    private <V> ConsumerLoop reader(KafkaContext kafka, dev.ngao.schemas.topics.Topic<String, V> topic,
                                    java.util.function.Consumer<V> handler, String name) {
        KafkaConsumer<String, V> consumer = kafka.consumer(topic, name, null);
        return ConsumerLoop.builder(name)
                .pollTimeout(READER_POLL_TIMEOUT)
                .beforeFirstPoll(() -> {
                    List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                            .map(info -> new TopicPartition(topic.name(), info.partition())).toList();
                    consumer.assign(partitions);
                    consumer.seekToEnd(partitions);
                    partitions.forEach(consumer::position);
                })
                .source(consumer, records -> records.forEach(record -> handler.accept(record.value())),
                        ConsumerLoop.Commit.NONE, ConsumerLoop.Undecodable.STOP)
                .closeConsumers(READER_STOP_TIMEOUT)
                .build()
                .start();
    }

    private static double millis(Histogram micros, double percentile) {
        return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(percentile) / 1000.0;
    }

}
