package dev.ngao.launcher.bench;

import dev.ngao.events.RuleSetPublished;
import dev.ngao.launcher.DemoRuleSet;
import dev.ngao.launcher.EmbeddedNgao;
import dev.ngao.launcher.LauncherConfig;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.sandbox.DemoPayments;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./ngao bench-memory}: the whole embedded Ngao (broker, every service, the provider sandbox) with the demo
 * merchant's rule set in force, taking signed, idempotent demo payments open loop at a fixed rate for a while,
 * and printing every interval what the process holds: resident set, Java heap used and committed, direct
 * buffers, what the JVM commits by its native memory tracking, and the resident memory it does not track
 * (RocksDB, the C allocator). The load generator runs in the same process, so its memory is in the figures
 * too. Issue 14's goal is a resident set of at most 1 GiB after 10 minutes at 200/s.
 *
 * <pre>
 *   ./ngao bench-memory    NGAO_BENCH_MEMORY_RATE (default 200/s), NGAO_BENCH_MEMORY_MINUTES (default 10),
 *                          NGAO_BENCH_MEMORY_INTERVAL_SECONDS (default 30)
 * </pre>
 */
public final class MemoryBenchmark {

    private static final long MIB = 1024 * 1024;
    private static final long GOAL_BYTES = 1024 * MIB;

    private final PrintStream out;

    private MemoryBenchmark(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> environment = new HashMap<>(System.getenv());
        double rate = Double.parseDouble(environment.getOrDefault("NGAO_BENCH_MEMORY_RATE", "200"));
        Duration total = Duration.ofMinutes(Long.parseLong(environment.getOrDefault("NGAO_BENCH_MEMORY_MINUTES", "10")));
        Duration interval = Duration.ofSeconds(Long.parseLong(
                environment.getOrDefault("NGAO_BENCH_MEMORY_INTERVAL_SECONDS", "30")));
        if (rate <= 0 || total.isZero() || total.isNegative() || interval.isZero() || interval.isNegative()) {
            System.err.println("NGAO_BENCH_MEMORY_RATE, _MINUTES and _INTERVAL_SECONDS must be positive");
            System.exit(2);
        }
        Path data = Files.createTempDirectory("ngao-bench-memory");
        environment.put("NGAO_DATA_DIR", data.toString());
        environment.putIfAbsent("NGAO_INGEST_RATE_LIMITS", "* /v1/payments* 1000000/1s");
        new MemoryBenchmark(System.out).run(LauncherConfig.fromEnvironment(environment), environment, rate, total,
                interval);
        System.exit(0);
    }

    private void run(LauncherConfig config, Map<String, String> environment, double rate, Duration total,
                     Duration interval) throws Exception {
        try (EmbeddedNgao ngao = new EmbeddedNgao(config, environment)) {
            ngao.start();
            Vertx vertx = Vertx.vertx();
            try (KafkaContext kafka = KafkaContext.connect(ngao.kafkaSettings())) {
                RuleSetPublished rules = DemoRuleSet.publish(kafka, Clock.systemUTC());
                out.printf(Locale.ROOT, "memory benchmark: embedded Ngao, %s rule set %s in force, demo payments open loop "
                                + "at %.0f/s for %d min; max heap %d MiB; native memory tracking %s%n",
                        rules.getMerchantId(), rules.getVersion(), rate, total.toMinutes(),
                        Runtime.getRuntime().maxMemory() / MIB,
                        MemoryFootprint.jvmCommitted().isPresent() ? "on" : "off (-XX:NativeMemoryTracking=summary)");
                print("started", Duration.ZERO, null, MemoryFootprint.now());
                URI target = URI.create(ngao.ingestBaseUrl() + "/v1/payments");
                OpenLoopLoad load = new OpenLoopLoad(vertx, 64);
                DemoPayments payments = new DemoPayments(new SplittableRandom(17));
                RequestSigner signer = new RequestSigner(ngao.demoKeyId(), ngao.demoKeySecret());
                Duration elapsed = Duration.ZERO;
                MemoryFootprint last = null;
                while (elapsed.compareTo(total) < 0) {
                    OpenLoopLoad.Result result = load.run("m" + elapsed.toSeconds(), target, requests(payments, signer,
                            target), rate, interval, 202);
                    elapsed = elapsed.plus(interval);
                    last = MemoryFootprint.now();
                    print("load", elapsed, result, last);
                }
                load.close();
                System.gc();
                print("after a full GC", elapsed, null, MemoryFootprint.now());
                if (last != null && last.rssBytes() >= 0) {
                    out.printf(Locale.ROOT, "resident set after %d min at %.0f/s: %d MiB, %s the goal of %d MiB%n",
                            total.toMinutes(), rate, last.rssBytes() / MIB,
                            last.rssBytes() <= GOAL_BYTES ? "within" : "ABOVE", GOAL_BYTES / MIB);
                }
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private void print(String what, Duration elapsed, OpenLoopLoad.Result result, MemoryFootprint memory) {
        String load = result == null ? "" : String.format(Locale.ROOT, " | %5.0f/s accepted, p99 %6.1f ms, errors %d",
                result.achievedRate(), result.p99Millis(), result.errorCount());
        out.printf(Locale.ROOT, "%5ds %-16s rss %5s MiB | heap used %5d MiB of %5d committed | direct %4d MiB | "
                        + "jvm-tracked %5s MiB | untracked (RocksDB, malloc) %5s MiB%s%n",
                elapsed.toSeconds(), what, memory.rssBytes() < 0 ? "?" : Long.toString(memory.rssBytes() / MIB),
                memory.heapUsedBytes() / MIB, memory.heapCommittedBytes() / MIB, memory.directBytes() / MIB,
                mib(memory.jvmCommittedBytes()), mib(memory.untrackedBytes()), load);
    }

    private static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? Long.toString(bytes.getAsLong() / MIB) : "-";
    }

    private static OpenLoopLoad.Requests requests(DemoPayments payments, RequestSigner signer, URI target) {
        return () -> {
            byte[] bytes = payments.next().getBytes(StandardCharsets.UTF_8);
            MultiMap headers = HttpHeaders.headers();
            signer.sign("POST", target, bytes).asMap().forEach(headers::add);
            headers.add("Content-Type", "application/json");
            headers.add("Idempotency-Key", UUID.randomUUID().toString());
            return new OpenLoopLoad.Request(headers, Buffer.buffer(bytes));
        };
    }
}
