package dev.ngao.launcher.bench;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What this process holds in memory, in bytes: the resident set as Linux counts it (VmRSS of
 * /proc/self/status), the Java heap (used, committed, and what the last collection left), what else the JVM
 * commits by its own account when native memory tracking is on (-XX:NativeMemoryTracking=summary: metaspace,
 * code, threads, GC structures, symbols...), per category, and the rest of the resident set: memory the JVM
 * does not track, which here is mostly RocksDB's (block caches, memtables) and the C allocator's arenas.
 *
 * @param heapAfterGcBytes    heap in use right after the most recent collection (the live data and what that
 *                            collection left): -1 before the first one
 * @param nmtCommittedBytes   native memory tracking's committed bytes per category ("Java Heap", "Class",
 *                            "Thread", "Code", "GC", ...), in the order the JVM prints them; empty when it is off
 */
record MemoryFootprint(long rssBytes, long heapUsedBytes, long heapCommittedBytes, long heapAfterGcBytes,
                       long directBytes, Map<String, Long> nmtCommittedBytes) {

    static final String NMT_TOTAL_CATEGORY = "Total";
    static final String NMT_HEAP_CATEGORY = "Java Heap";

    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    /** "Total: reserved=1234KB, committed=567KB" in the summary of VM.native_memory. */
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    /** "-    Java Heap (reserved=1048576KB, committed=619520KB)", one line per category. */
    private static final Pattern NMT_CATEGORY = Pattern.compile(
            "(?m)^-\\s+(\\S.*?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    MemoryFootprint {
        nmtCommittedBytes = Collections.unmodifiableMap(new LinkedHashMap<>(nmtCommittedBytes));
    }

    static MemoryFootprint now() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            // Not the "mapped" pool: the broker maps its index files, whose size is not what is resident.
            if (pool.getName().equals("direct")) {
                direct += Math.max(0, pool.getMemoryUsed());
            }
        }
        return new MemoryFootprint(rss(), memory.getHeapMemoryUsage().getUsed(),
                memory.getHeapMemoryUsage().getCommitted(), heapAfterLastGc(), direct, nmtSummary());
    }

    /** Resident set size of this process; -1 off Linux. */
    static long rss() {
        try {
            return parseRss(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long parseRss(String status) {
        Matcher matcher = RSS.matcher(status);
        return matcher.find() ? Long.parseLong(matcher.group(1)) * 1024 : -1;
    }

    /**
     * The heap in use after the most recent collection of any collector (young or full), summed over the heap's
     * pools; -1 before the first collection.
     */
    static long heapAfterLastGc() {
        Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        long latestEnd = -1;
        long after = -1;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(collector instanceof com.sun.management.GarbageCollectorMXBean gc) || gc.getLastGcInfo() == null) {
                continue;
            }
            com.sun.management.GcInfo info = gc.getLastGcInfo();
            if (info.getEndTime() > latestEnd) {
                latestEnd = info.getEndTime();
                after = 0;
                for (Map.Entry<String, MemoryUsage> pool : info.getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(pool.getKey())) {
                        after += pool.getValue().getUsed();
                    }
                }
            }
        }
        return after;
    }

    /** Native memory tracking's committed bytes per category; empty when it is off. */
    static Map<String, Long> nmtSummary() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object summary = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory", new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            return parseNmtSummary(String.valueOf(summary));
        } catch (Exception e) {
            return Map.of();
        }
    }

    /**
     * The committed bytes of every category of a VM.native_memory summary, "Total" first; empty when the text is
     * not such a summary (tracking off).
     */
    static Map<String, Long> parseNmtSummary(String summary) {
        Matcher total = NMT_TOTAL.matcher(summary);
        if (!total.find()) {
            return Map.of();
        }
        Map<String, Long> categories = new LinkedHashMap<>();
        categories.put(NMT_TOTAL_CATEGORY, Long.parseLong(total.group(2)) * 1024);
        Matcher category = NMT_CATEGORY.matcher(summary);
        while (category.find()) {
            categories.put(category.group(1).trim(), Long.parseLong(category.group(3)) * 1024);
        }
        return categories;
    }

    /** What the JVM commits by its native memory tracking, heap included; empty when it is off. */
    OptionalLong jvmCommittedBytes() {
        Long total = nmtCommittedBytes.get(NMT_TOTAL_CATEGORY);
        return total == null ? OptionalLong.empty() : OptionalLong.of(total);
    }

    /**
     * What the JVM commits beside the Java heap (metaspace, code cache, thread stacks, GC structures, symbols,
     * the compiler's arenas...); empty when tracking is off.
     */
    OptionalLong jvmNonHeapBytes() {
        Long total = nmtCommittedBytes.get(NMT_TOTAL_CATEGORY);
        Long heap = nmtCommittedBytes.get(NMT_HEAP_CATEGORY);
        return total == null || heap == null ? OptionalLong.empty() : OptionalLong.of(total - heap);
    }

    /** Resident memory the JVM does not account for (RocksDB, the C allocator); empty without tracking. */
    OptionalLong untrackedBytes() {
        OptionalLong committed = jvmCommittedBytes();
        return committed.isPresent() && rssBytes >= 0
                ? OptionalLong.of(Math.max(0, rssBytes - committed.getAsLong())) : OptionalLong.empty();
    }
}
