package dev.ngao.launcher.bench;

import dev.ngao.launcher.ToolMain;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.sandbox.DemoPayments;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code ./ngao bench-ingest-open}: signed, idempotent {@code POST /v1/payments} on the embedded mode (a real
 * broker in this JVM, acks=all) under an open-loop load at fixed rates (200, 1,000 and 2,000 per second by
 * default), against a bare Vert.x endpoint at the same rates in the same run. Each phase reports the rate
 * achieved, latency from the intended send time (p50, p99, p99.9, max) and errors by kind. A closed-loop
 * round then measures what each can take at most, for the throughput ratio. Phases alternate bare and
 * ingest so machine noise falls on both.
 *
 * <p>Settings, from the environment: {@code NGAO_BENCH_RATES} (comma-separated per-second rates),
 * {@code NGAO_BENCH_PHASE_SECONDS} (15), {@code NGAO_BENCH_WARMUP_SECONDS} (20),
 * {@code NGAO_BENCH_CONNECTIONS} (256, the generator's most connections), {@code NGAO_BENCH_CONCURRENCY} (16,
 * workers of the closed-loop round) and {@code NGAO_BENCH_CAPACITY_SECONDS} (10; 0 skips the round).
 */
public final class OpenLoopIngestBenchmark {

    /** The goals of issue 14: throughput against the bare endpoint, and p99 at 1,000 per second. */
    static final double THROUGHPUT_RATIO_GOAL = 0.5;
    static final double P99_GOAL_MILLIS = 10.0;
    static final double P99_GOAL_RATE = 1_000;

    private static final double WARMUP_RATE = 500;

    private final Settings settings;
    private final PrintStream out;

    record Settings(List<Double> rates, Duration phase, Duration warmup, int connections, int concurrency,
                    Duration capacityRound) {

        static Settings from(Map<String, String> environment) {
            List<Double> rates = ToolMain.positiveNumbers(environment, "NGAO_BENCH_RATES", "200,1000,2000");
            return new Settings(rates, seconds(environment, "NGAO_BENCH_PHASE_SECONDS", 15),
                    seconds(environment, "NGAO_BENCH_WARMUP_SECONDS", 20),
                    (int) ToolMain.wholeNumber(environment, "NGAO_BENCH_CONNECTIONS", 256, 1, 100_000),
                    (int) ToolMain.wholeNumber(environment, "NGAO_BENCH_CONCURRENCY", 16, 1, 100_000),
                    seconds(environment, "NGAO_BENCH_CAPACITY_SECONDS", 10));
        }

        private static Duration seconds(Map<String, String> environment, String name, int defaultSeconds) {
            return Duration.ofSeconds(ToolMain.wholeNumber(environment, name, defaultSeconds, 0, 86_400));
        }
    }

    OpenLoopIngestBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        ToolMain.run("bench-ingest-open", args,
                environment -> new OpenLoopIngestBenchmark(Settings.from(environment), System.out).run());
        // The embedded broker leaves non-daemon threads behind its close; the run is over.
        System.exit(0);
    }

    void run() throws Exception {
        // The generator and the baseline share one small Vert.x: two event loops on a two-core machine.
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try (EmbeddedIngest ingest = EmbeddedIngest.start();
             OpenLoopLoad load = new OpenLoopLoad(vertx, settings.connections())) {
            HttpServer bare = BareEndpoint.start(vertx);
            URI bareUri = BareEndpoint.paymentsUri(bare);
            URI ingestUri = ingest.paymentsUri();
            warmUp(load, bareUri, ingestUri);
            List<OpenLoopLoad.Result[]> phases = new ArrayList<>();
            for (double rate : settings.rates()) {
                OpenLoopLoad.Result baseline = phase(load, "bare", bareUri, rate);
                OpenLoopLoad.Result measured = phase(load, "ingest", ingestUri, rate);
                phases.add(new OpenLoopLoad.Result[] {baseline, measured});
            }
            double throughputRatio = capacity(bareUri, ingestUri);
            summary(phases, throughputRatio);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void warmUp(OpenLoopLoad load, URI bare, URI ingest) throws InterruptedException {
        out.printf(Locale.ROOT, "Warming up: %d s at %.0f/s on each...%n", settings.warmup().toSeconds(), WARMUP_RATE);
        load.run("warm-bare", bare, payments(bare), WARMUP_RATE, settings.warmup(), 202);
        load.run("warm-ingest", ingest, payments(ingest), WARMUP_RATE, settings.warmup(), 202);
        out.printf(Locale.ROOT, "%n%-7s %7s %8s %10s %7s %7s %8s %8s %8s  %s%n", "target", "rate/s", "sent/s",
                "achieved/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "cpu µs/r", "errors");
    }

    /**
     * One phase, printed with the CPU time this whole process spent per request: on a machine shared with
     * other work, latency tails say as much about the neighbours as about us, CPU per request much less so.
     */
    private OpenLoopLoad.Result phase(OpenLoopLoad load, String label, URI target, double rate)
            throws InterruptedException {
        long cpuBefore = ProcessCpu.nanos();
        OpenLoopLoad.Result result = load.run(label, target, payments(target), rate, settings.phase(), 202);
        double cpuMicrosPerRequest = (ProcessCpu.nanos() - cpuBefore) / 1_000.0 / Math.max(1, result.scheduled());
        out.printf(Locale.ROOT, "%-7s %7.0f %8.1f %10.1f %7.2f %7.2f %8.2f %8.2f %8.0f  %s%n", result.label(),
                result.targetRate(), result.sendRate(), result.achievedRate(), result.p50Millis(), result.p99Millis(),
                result.p999Millis(), result.maxMillis(), cpuMicrosPerRequest,
                result.errors().isEmpty() ? "none" : result.errors());
        return result;
    }

    /** The closed-loop round: the most each answers with {@code concurrency} workers; the ratio ingest/bare. */
    private double capacity(URI bare, URI ingest) throws InterruptedException {
        if (settings.capacityRound().isZero()) {
            return Double.NaN;
        }
        LoadGenerator closedLoop = new LoadGenerator();
        // Its own warm-up: the closed loop's client (java.net.http) and ingest at full speed are code paths
        // the open-loop phases did not make the JIT compile, and compiling them must not be measured.
        Duration warmup = settings.capacityRound().dividedBy(2);
        closedLoop.run("warm-bare", closedLoopPayments(bare), settings.concurrency(), warmup, 202);
        closedLoop.run("warm-ingest", closedLoopPayments(ingest), settings.concurrency(), warmup, 202);
        long cpuBefore = ProcessCpu.nanos();
        LoadGenerator.Result baseline = closedLoop.run("bare", closedLoopPayments(bare), settings.concurrency(),
                settings.capacityRound(), 202);
        long cpuBetween = ProcessCpu.nanos();
        LoadGenerator.Result measured = closedLoop.run("ingest", closedLoopPayments(ingest), settings.concurrency(),
                settings.capacityRound(), 202);
        long cpuAfter = ProcessCpu.nanos();
        out.printf(Locale.ROOT, "%nClosed loop, %d workers, %d s each: bare %.0f req/s (p99 %.2f ms, %.0f cpu µs/r), "
                        + "ingest %.0f req/s (p99 %.2f ms, %.0f cpu µs/r, %d unexpected answers)%n",
                settings.concurrency(), settings.capacityRound().toSeconds(), baseline.perSecond(),
                baseline.p99Millis(), perRequest(cpuBetween - cpuBefore, baseline), measured.perSecond(),
                measured.p99Millis(), perRequest(cpuAfter - cpuBetween, measured), measured.unexpected());
        return measured.perSecond() / baseline.perSecond();
    }

    private static double perRequest(long cpuNanos, LoadGenerator.Result result) {
        return cpuNanos / 1_000.0 / Math.max(1, result.answered() + result.unexpected());
    }

    private void summary(List<OpenLoopLoad.Result[]> phases, double throughputRatio) {
        out.printf(Locale.ROOT, "%nRatios ingest/bare, same run:%n");
        OpenLoopLoad.Result atGoalRate = null;
        for (OpenLoopLoad.Result[] phase : phases) {
            OpenLoopLoad.Result bare = phase[0];
            OpenLoopLoad.Result ingest = phase[1];
            out.printf(Locale.ROOT, "  at %5.0f/s: achieved rate %.2f, p50 %.1fx, p99 %.1fx%n", bare.targetRate(),
                    ingest.achievedRate() / bare.achievedRate(), ingest.p50Millis() / bare.p50Millis(),
                    ingest.p99Millis() / bare.p99Millis());
            if (ingest.targetRate() == P99_GOAL_RATE) {
                atGoalRate = ingest;
            }
        }
        if (!Double.isNaN(throughputRatio)) {
            out.printf(Locale.ROOT, "  closed-loop throughput: %.2f%n", throughputRatio);
            out.printf(Locale.ROOT, "Goal: signed ingest >= %.1fx bare Vert.x throughput: %s (%.2fx)%n",
                    THROUGHPUT_RATIO_GOAL, throughputRatio >= THROUGHPUT_RATIO_GOAL ? "met" : "NOT met", throughputRatio);
        }
        if (atGoalRate != null) {
            boolean met = atGoalRate.p99Millis() <= P99_GOAL_MILLIS && atGoalRate.errorCount() == 0;
            out.printf(Locale.ROOT, "Goal: HTTP -> 202 p99 <= %.0f ms at %.0f/s: %s (p99 %.2f ms, %d errors)%n",
                    P99_GOAL_MILLIS, P99_GOAL_RATE, met ? "met" : "NOT met", atGoalRate.p99Millis(),
                    atGoalRate.errorCount());
        }
    }

    /**
     * Fresh demo payments, each signed and with its own Idempotency-Key as a merchant sends them; both
     * targets get the same kind of requests (the bare endpoint ignores the headers), so client costs fall on
     * both.
     */
    static OpenLoopLoad.Requests payments(URI target) {
        DemoPayments payments = new DemoPayments(new SplittableRandom(7));
        RequestSigner signer = new RequestSigner(EmbeddedIngest.KEY_ID, EmbeddedIngest.SECRET);
        return () -> {
            byte[] body = payments.next().getBytes(StandardCharsets.UTF_8);
            MultiMap headers = HttpHeaders.headers();
            signer.sign("POST", target, body).asMap().forEach(headers::add);
            headers.add("Content-Type", "application/json");
            headers.add("Idempotency-Key", UUID.randomUUID().toString());
            return new OpenLoopLoad.Request(headers, Buffer.buffer(body));
        };
    }

    /** The same requests for the closed-loop generator's java.net.http client. */
    private static Supplier<HttpRequest> closedLoopPayments(URI target) {
        OpenLoopLoad.Requests requests = payments(target);
        return () -> {
            OpenLoopLoad.Request request;
            synchronized (requests) {
                request = requests.next();
            }
            HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.body().getBytes()));
            request.headers().forEach(header -> builder.header(header.getKey(), header.getValue()));
            return builder.build();
        };
    }
}
