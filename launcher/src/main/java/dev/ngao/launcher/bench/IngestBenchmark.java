package dev.ngao.launcher.bench;

import dev.ngao.launcher.ToolMain;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.sandbox.DemoPayments;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Measures {@code POST /v1/payments} end to end (signature check, idempotency claim, validation, Avro,
 * Kafka acks=all on a real broker) against a bare Vert.x endpoint that answers 202 at once, both in this JVM and driven by the
 * same closed-loop load, alternating rounds so machine noise falls on both. The figure is the ratio.
 * Run: {@code ./ngao bench-ingest} (see docs/running.md, Commands).
 */
public final class IngestBenchmark {

    private final int concurrency;
    private final Duration roundDuration;
    private final int rounds;
    private final PrintStream out;

    public IngestBenchmark(int concurrency, Duration roundDuration, int rounds, PrintStream out) {
        this.concurrency = concurrency;
        this.roundDuration = roundDuration;
        this.rounds = rounds;
        this.out = out;
    }

    public static void run(Map<String, String> environment, PrintStream out) throws Exception {
        int concurrency = (int) ToolMain.wholeNumber(environment, "NGAO_BENCH_CONCURRENCY", 16, 1, 100_000);
        int seconds = (int) ToolMain.wholeNumber(environment, "NGAO_BENCH_ROUND_SECONDS", 10, 1, 3_600);
        int rounds = (int) ToolMain.wholeNumber(environment, "NGAO_BENCH_ROUNDS", 3, 1, 1_000);
        new IngestBenchmark(concurrency, Duration.ofSeconds(seconds), rounds, out).run();
    }

    public void run() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedIngest ingest = EmbeddedIngest.start()) {
            HttpServer bare = BareEndpoint.start(vertx);
            measure(BareEndpoint.paymentsUri(bare), ingest.paymentsUri());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void measure(URI bare, URI ingest) throws InterruptedException {
        LoadGenerator load = new LoadGenerator();
        out.printf(Locale.ROOT, "Warming up (%d workers)...%n", concurrency);
        load.run("warm-bare", payments(bare), concurrency, roundDuration.dividedBy(2), 202);
        load.run("warm-ingest", payments(ingest), concurrency, roundDuration.dividedBy(2), 202);
        List<LoadGenerator.Result> bareResults = new ArrayList<>();
        List<LoadGenerator.Result> ingestResults = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            bareResults.add(print(load.run("bare", payments(bare), concurrency, roundDuration, 202)));
            ingestResults.add(print(load.run("ingest", payments(ingest), concurrency, roundDuration, 202)));
        }
        LoadGenerator.Result bareMedian = median(bareResults);
        LoadGenerator.Result ingestMedian = median(ingestResults);
        out.printf(Locale.ROOT, "%nMedian of %d rounds, %d workers, %d s each:%n", rounds, concurrency,
                roundDuration.toSeconds());
        out.printf(Locale.ROOT, "  bare Vert.x endpoint : %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms%n",
                bareMedian.perSecond(), bareMedian.p50Millis(), bareMedian.p99Millis());
        out.printf(Locale.ROOT, "  POST /v1/payments    : %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms%n",
                ingestMedian.perSecond(), ingestMedian.p50Millis(), ingestMedian.p99Millis());
        out.printf(Locale.ROOT, "  ratio ingest/bare    : throughput %.2f, p99 latency %.2f%n",
                ingestMedian.perSecond() / bareMedian.perSecond(), ingestMedian.p99Millis() / bareMedian.p99Millis());
    }

    private LoadGenerator.Result print(LoadGenerator.Result result) {
        out.printf(Locale.ROOT, "  %-7s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%d unexpected answers)%n",
                result.label(), result.perSecond(), result.p50Millis(), result.p99Millis(), result.unexpected());
        return result;
    }

    private static LoadGenerator.Result median(List<LoadGenerator.Result> results) {
        List<LoadGenerator.Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingDouble(LoadGenerator.Result::perSecond));
        return sorted.get(sorted.size() / 2);
    }

    /**
     * Fresh demo payments, each signed and with its own Idempotency-Key as a merchant sends them; both
     * targets get the same requests (the bare endpoint ignores the headers), so signing costs fall on both.
     */
    private static Supplier<HttpRequest> payments(URI target) {
        DemoPayments payments = new DemoPayments(new SplittableRandom(7));
        RequestSigner signer = new RequestSigner(EmbeddedIngest.KEY_ID, EmbeddedIngest.SECRET);
        return () -> {
            byte[] body;
            synchronized (payments) {
                body = payments.next().getBytes(StandardCharsets.UTF_8);
            }
            return signer.sign("POST", target, body).applyTo(HttpRequest.newBuilder(target))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        };
    }
}
