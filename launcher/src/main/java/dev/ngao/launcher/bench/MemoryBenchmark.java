package dev.ngao.launcher.bench;

import dev.ngao.events.RuleSetPublished;
import dev.ngao.launcher.DemoRuleSet;
import dev.ngao.launcher.EmbeddedNgao;
import dev.ngao.launcher.LauncherConfig;
import dev.ngao.launcher.ToolMain;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.sandbox.DemoPayments;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./ngao bench-memory}: the whole embedded Ngao (broker, every service, the provider sandbox) with the demo
 * merchant's rule set in force, taking signed, idempotent demo payments open loop at a fixed rate for a while,
 * and printing every interval what the process holds: resident set; Java heap committed, used, and left by the
 * last collection; what the JVM commits beside the heap by its native memory tracking (metaspace, code, thread
 * stacks, GC structures...); the resident memory it does not track (RocksDB, the C allocator); direct buffers.
 * Beside them: the machine's load average, and the backlog of every consumer group (records between its committed
 * offsets and the last stable offsets), which tells whether the pipeline keeps up. At the end, native memory
 * tracking's committed bytes per category. The load generator runs in the same process, so its memory is in the
 * figures too. Issue 14's goal is a resident set of at most 1 GiB after 10 minutes at 200/s.
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
        ToolMain.run("bench-memory", args, MemoryBenchmark::run);
    }

    private static void run(Map<String, String> given) throws Exception {
        Map<String, String> environment = new HashMap<>(given);
        double rate = ToolMain.positiveNumber(environment, "NGAO_BENCH_MEMORY_RATE", 200);
        Duration total = Duration.ofMinutes(ToolMain.wholeNumber(environment, "NGAO_BENCH_MEMORY_MINUTES", 10, 1,
                24 * 60));
        Duration interval = Duration.ofSeconds(ToolMain.wholeNumber(environment,
                "NGAO_BENCH_MEMORY_INTERVAL_SECONDS", 30, 1, 3_600));
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
                        !MemoryFootprint.nmtSummary().isEmpty() ? "on" : "off (-XX:NativeMemoryTracking=summary)");
                Admin admin = Admin.create(dev.ngao.platform.kafka.KafkaClients.admin(ngao.kafkaSettings(),
                        "ngao-bench-memory-admin"));
                print("started", Duration.ZERO, null, MemoryFootprint.now(), backlog(admin));
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
                    print("load", elapsed, result, last, backlog(admin));
                }
                load.close();
                System.gc();
                MemoryFootprint afterFullGc = MemoryFootprint.now();
                print("after a full GC", elapsed, null, afterFullGc, backlog(admin));
                admin.close(Duration.ofSeconds(10));
                printCategories(last != null ? last : afterFullGc);
                if (last != null && last.rssBytes() >= 0) {
                    out.printf(Locale.ROOT, "resident set after %d min at %.0f/s: %d MiB (heap %d committed, jvm "
                                    + "non-heap %s, rest %s), %s the goal of %d MiB%n",
                            total.toMinutes(), rate, last.rssBytes() / MIB, last.heapCommittedBytes() / MIB,
                            mib(last.jvmNonHeapBytes()), mib(last.untrackedBytes()),
                            last.rssBytes() <= GOAL_BYTES ? "within" : "ABOVE", GOAL_BYTES / MIB);
                }
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private void print(String what, Duration elapsed, OpenLoopLoad.Result result, MemoryFootprint memory,
                       Backlog backlog) {
        String load = result == null ? "" : String.format(Locale.ROOT, " | %4.0f/s accepted, p99 %6.1f ms, errors %d",
                result.achievedRate(), result.p99Millis(), result.errorCount());
        OptionalDouble loadAverage = loadAverage();
        out.printf(Locale.ROOT, "%5ds %-15s rss %5s MiB = heap %4d committed (used %4d, after GC %4s) + jvm non-heap %4s "
                        + "+ rest (RocksDB, malloc) %4s | direct %3d MiB | load avg %5s | backlog %s%s%n",
                elapsed.toSeconds(), what, memory.rssBytes() < 0 ? "?" : Long.toString(memory.rssBytes() / MIB),
                memory.heapCommittedBytes() / MIB, memory.heapUsedBytes() / MIB,
                memory.heapAfterGcBytes() < 0 ? "-" : Long.toString(memory.heapAfterGcBytes() / MIB),
                mib(memory.jvmNonHeapBytes()), mib(memory.untrackedBytes()), memory.directBytes() / MIB,
                loadAverage.isPresent() ? String.format(Locale.ROOT, "%.1f", loadAverage.getAsDouble()) : "?",
                backlog, load);
    }

    /** Native memory tracking's committed MiB per category, largest first, those of at least 1 MiB. */
    private void printCategories(MemoryFootprint memory) {
        if (memory.nmtCommittedBytes().isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder("jvm committed by category (native memory tracking), MiB:");
        memory.nmtCommittedBytes().entrySet().stream()
                .filter(category -> !category.getKey().equals(MemoryFootprint.NMT_TOTAL_CATEGORY))
                .filter(category -> category.getValue() >= MIB)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(category -> line.append(' ').append(category.getKey()).append(' ')
                        .append(category.getValue() / MIB).append(','));
        line.setLength(line.length() - 1);
        out.println(line);
    }

    /** The machine's load average over the last minute, from /proc/loadavg; empty off Linux. */
    static OptionalDouble loadAverage() {
        try {
            return parseLoadAverage(Files.readString(Path.of("/proc/loadavg")));
        } catch (Exception e) {
            return OptionalDouble.empty();
        }
    }

    private static final Pattern LOAD_AVERAGE = Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)\\s");

    static OptionalDouble parseLoadAverage(String loadavg) {
        Matcher matcher = LOAD_AVERAGE.matcher(loadavg);
        return matcher.find() ? OptionalDouble.of(Double.parseDouble(matcher.group(1))) : OptionalDouble.empty();
    }

    /**
     * Records every consumer group has yet to read: from its committed offsets to the last stable offsets of
     * those partitions (transaction markers count, so a caught-up exactly-once group shows a few).
     */
    private static Backlog backlog(Admin admin) {
        try {
            Map<String, Long> lags = new LinkedHashMap<>();
            Map<String, Map<String, Long>> lagsByTopic = new HashMap<>();
            for (GroupListing group : admin.listGroups().all().get(10, TimeUnit.SECONDS)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
                Map<TopicPartition, Long> ends = new HashMap<>();
                admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                        .get(10, TimeUnit.SECONDS).forEach((partition, info) -> ends.put(partition, info.offset()));
                Map<TopicPartition, Long> offsets = new HashMap<>();
                committed.forEach((partition, offset) -> {
                    if (offset != null) {
                        offsets.put(partition, offset.offset());
                    }
                });
                lags.put(group.groupId(), Backlog.lag(offsets, ends));
                lagsByTopic.put(group.groupId(), Backlog.lagByTopic(offsets, ends));
            }
            Backlog backlog = Backlog.of(lags);
            return backlog.withTopics(lagsByTopic.getOrDefault(backlog.largestGroup(), Map.of()));
        } catch (Exception e) {
            return Backlog.UNKNOWN;
        }
    }

    /** The records consumer groups have yet to read: in all, and the group with the most. */
    record Backlog(long total, String largestGroup, long largest, String largestTopics) {

        static final Backlog UNKNOWN = new Backlog(-1, "", -1, "");

        Backlog(long total, String largestGroup, long largest) {
            this(total, largestGroup, largest, "");
        }

        /** Records each topic has yet to be read, from the committed offsets to the partitions' ends. */
        static Map<String, Long> lagByTopic(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends) {
            Map<String, Long> byTopic = new HashMap<>();
            committed.forEach((partition, offset) -> {
                Long end = ends.get(partition);
                if (end != null && end > offset) {
                    byTopic.merge(partition.topic(), end - offset, Long::sum);
                }
            });
            return byTopic;
        }

        /** The same backlog, naming the (at most two) topics the largest group has most to read of. */
        Backlog withTopics(Map<String, Long> largestGroupByTopic) {
            StringBuilder topics = new StringBuilder();
            largestGroupByTopic.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(2)
                    .forEach(topic -> topics.append(topics.isEmpty() ? "" : ", ")
                            .append(topic.getKey()).append(' ').append(topic.getValue()));
            return new Backlog(total, largestGroup, largest, topics.toString());
        }

        /** Records between each partition's committed offset and its end; partitions without an end count 0. */
        static long lag(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends) {
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> partition : committed.entrySet()) {
                Long end = ends.get(partition.getKey());
                if (end != null) {
                    lag += Math.max(0, end - partition.getValue());
                }
            }
            return lag;
        }

        static Backlog of(Map<String, Long> lagByGroup) {
            long total = 0;
            String largestGroup = "";
            long largest = 0;
            for (Map.Entry<String, Long> group : lagByGroup.entrySet()) {
                total += group.getValue();
                if (group.getValue() > largest) {
                    largest = group.getValue();
                    largestGroup = group.getKey();
                }
            }
            return new Backlog(total, largestGroup, largest);
        }

        @Override
        public String toString() {
            if (total < 0) {
                return "?";
            }
            return largest == 0 ? Long.toString(total) : total + " (most: " + largestGroup + " " + largest
                    + (largestTopics.isEmpty() ? "" : ": " + largestTopics) + ")";
        }
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
