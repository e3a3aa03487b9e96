package dev.ngao.launcher.bench;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this process holds in memory, in bytes: the resident set as Linux counts it (VmRSS of
 * /proc/self/status), the Java heap (used and committed), what else the JVM commits by its own account when
 * native memory tracking is on (-XX:NativeMemoryTracking=summary: metaspace, code, threads, GC, direct
 * buffers...), and the rest of the resident set: memory the JVM does not track, which here is mostly
 * RocksDB's (block caches, memtables) and the C allocator's arenas.
 */
record MemoryFootprint(long rssBytes, long heapUsedBytes, long heapCommittedBytes, long directBytes,
                       OptionalLong jvmCommittedBytes) {

    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    /** "Total: reserved=1234KB, committed=567KB" in the summary of VM.native_memory. */
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

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
                memory.getHeapMemoryUsage().getCommitted(), direct, jvmCommitted());
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

    /** What the JVM commits by its own native memory tracking; empty when it is off. */
    static OptionalLong jvmCommitted() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object summary = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "vmNativeMemory", new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            return parseNmtCommitted(String.valueOf(summary));
        } catch (Exception e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong parseNmtCommitted(String summary) {
        Matcher matcher = NMT_TOTAL.matcher(summary);
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(2)) * 1024) : OptionalLong.empty();
    }

    /** Resident memory the JVM does not account for (RocksDB, the C allocator); empty without tracking. */
    OptionalLong untrackedBytes() {
        return jvmCommittedBytes.isPresent() && rssBytes >= 0
                ? OptionalLong.of(Math.max(0, rssBytes - jvmCommittedBytes.getAsLong())) : OptionalLong.empty();
    }
}
