package dev.ngao.risk.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time the threads of this JVM used during a phase, by what they do, per answer: a figure of the work one
 * decision costs that the other loads of a shared machine move much less than rates and latencies (a thread is
 * charged only the CPU it used, not the time it waited for a core). The broker, the pipeline and the harness
 * share the JVM, so every part is there: processing (Kafka Streams' stream threads: the decisions, their
 * stores and their commits; or the baseline's copier), the global thread (the global stores), the pipeline's producers' network threads, the harness
 * (sender, reader, main) and the rest, which is the broker and its own threads. A thread that ended during the
 * phase is not counted.
 */
final class CpuShares {

    static final String PROCESSING = "processing";
    static final String GLOBAL_THREAD = "global thread";
    static final String PRODUCER_NETWORK = "producer network";
    static final String HARNESS = "harness";
    static final String BROKER = "broker and the rest";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> startNanos;

    private CpuShares(Map<Long, Long> startNanos) {
        this.startNanos = startNanos;
    }

    /** The CPU time of every live thread now. */
    static CpuShares start() {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long nanos = THREADS.getThreadCpuTime(id);
            if (nanos >= 0) {
                cpu.put(id, nanos);
            }
        }
        return new CpuShares(cpu);
    }

    /** Microseconds of CPU per answer since {@link #start()}, by group, in a fixed order; empty without answers. */
    Map<String, Double> microsPerAnswer(long answers) {
        Map<String, Double> micros = new LinkedHashMap<>();
        for (String group : new String[] {PROCESSING, GLOBAL_THREAD, PRODUCER_NETWORK, HARNESS, BROKER}) {
            micros.put(group, 0.0);
        }
        if (answers <= 0) {
            return Map.of();
        }
        for (long id : THREADS.getAllThreadIds()) {
            ThreadInfo info = THREADS.getThreadInfo(id);
            long nanos = THREADS.getThreadCpuTime(id);
            if (info == null || nanos < 0) {
                continue;
            }
            long used = nanos - startNanos.getOrDefault(id, 0L);
            micros.merge(group(info.getThreadName()), used / 1_000.0 / answers, Double::sum);
        }
        return micros;
    }

    static String group(String threadName) {
        if (threadName.contains("GlobalStreamThread")) {
            return GLOBAL_THREAD;
        }
        boolean producerNetwork = threadName.startsWith("kafka-producer-network-thread");
        boolean processing = threadName.contains("StreamThread") || threadName.contains("bench-copier");
        if (processing) {
            return producerNetwork ? PRODUCER_NETWORK : PROCESSING;
        }
        if (threadName.startsWith("bench-") || threadName.equals("main")
                || producerNetwork && threadName.contains("bench-")) {
            return HARNESS;
        }
        return BROKER;
    }

    /** "processing 412 µs, ... (total 812 µs)". */
    static String describe(Map<String, Double> micros) {
        if (micros.isEmpty()) {
            return "none answered";
        }
        StringBuilder text = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> group : micros.entrySet()) {
            text.append(text.isEmpty() ? "" : ", ").append(group.getKey())
                    .append(String.format(Locale.ROOT, " %,.0f µs", group.getValue()));
            total += group.getValue();
        }
        return text.append(String.format(Locale.ROOT, " (total %,.0f µs)", total)).toString();
    }
}
