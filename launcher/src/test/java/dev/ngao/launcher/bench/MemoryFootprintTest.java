package dev.ngao.launcher.bench;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryFootprintTest {

    private static final String SUMMARY = """

            Native Memory Tracking:

            (Omitting categories weighting less than 1KB)

            Total: reserved=2927575KB, committed=941755KB
                   malloc: 12345KB #1234
                   mmap:   reserved=1234KB, committed=567KB

            -                 Java Heap (reserved=1048576KB, committed=619520KB)
                                        (mmap: reserved=1048576KB, committed=619520KB)
            \s
            -                     Class (reserved=1051143KB, committed=13959KB)
                                        (classes #17425)
            -                    Thread (reserved=278296KB, committed=29744KB)
                                        (thread #252)
            -                        GC (reserved=80410KB, committed=64494KB)
            -    Native Memory Tracking (reserved=9142KB, committed=9142KB)
            -                 Metaspace (reserved=131642KB, committed=82618KB)
            """;

    @Test
    void readsTheResidentSetFromProcStatus() {
        assertThat(MemoryFootprint.parseRss("Name:\tjava\nVmHWM:\t 2000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 1 kB\n"))
                .isEqualTo(123_456L * 1024);
        assertThat(MemoryFootprint.parseRss("Name:\tjava\n")).isEqualTo(-1);
    }

    @Test
    void readsEveryCategoryOfNativeMemoryTrackingsSummary() {
        Map<String, Long> categories = MemoryFootprint.parseNmtSummary(SUMMARY);
        assertThat(categories).containsExactly(
                Map.entry("Total", 941_755L * 1024),
                Map.entry("Java Heap", 619_520L * 1024),
                Map.entry("Class", 13_959L * 1024),
                Map.entry("Thread", 29_744L * 1024),
                Map.entry("GC", 64_494L * 1024),
                Map.entry("Native Memory Tracking", 9_142L * 1024),
                Map.entry("Metaspace", 82_618L * 1024));
        assertThat(MemoryFootprint.parseNmtSummary("Native memory tracking is not enabled")).isEmpty();
    }

    @Test
    void theJvmsNonHeapShareIsItsCommittedTotalLessTheHeap() {
        MemoryFootprint tracked = new MemoryFootprint(2000, 100, 300, 80, 10, MemoryFootprint.parseNmtSummary(SUMMARY));
        assertThat(tracked.jvmCommittedBytes()).isEqualTo(OptionalLong.of(941_755L * 1024));
        assertThat(tracked.jvmNonHeapBytes()).isEqualTo(OptionalLong.of((941_755L - 619_520L) * 1024));
        MemoryFootprint untracked = new MemoryFootprint(900, 100, 200, -1, 10, Map.of());
        assertThat(untracked.jvmCommittedBytes()).isEmpty();
        assertThat(untracked.jvmNonHeapBytes()).isEmpty();
    }

    @Test
    void theUntrackedShareIsTheResidentSetBeyondWhatTheJvmCommits() {
        MemoryFootprint tracked = new MemoryFootprint(900, 100, 200, 80, 10, Map.of("Total", 600L, "Java Heap", 200L));
        assertThat(tracked.untrackedBytes()).isEqualTo(OptionalLong.of(300));
        assertThat(new MemoryFootprint(900, 100, 200, 80, 10, Map.of()).untrackedBytes()).isEmpty();
        if (System.getProperty("os.name").startsWith("Linux")) {
            MemoryFootprint now = MemoryFootprint.now();
            assertThat(now.rssBytes()).isPositive();
            System.gc();
            assertThat(MemoryFootprint.heapAfterLastGc()).isNotNegative();
        }
    }

    @Test
    void readsTheOneMinuteLoadAverage() {
        assertThat(MemoryBenchmark.parseLoadAverage("22.29 9.18 5.10 24/524 27189\n"))
                .isEqualTo(OptionalDouble.of(22.29));
        assertThat(MemoryBenchmark.parseLoadAverage("")).isEmpty();
    }

    @Test
    void theBacklogIsWhatEachGroupHasYetToReadSummed() {
        TopicPartition a = new TopicPartition("payments.requests", 0);
        TopicPartition b = new TopicPartition("payments.requests", 1);
        TopicPartition gone = new TopicPartition("deleted", 0);
        assertThat(MemoryBenchmark.Backlog.lag(Map.of(a, 90L, b, 100L, gone, 5L), Map.of(a, 100L, b, 100L)))
                .isEqualTo(10);
        Map<String, Long> lags = new LinkedHashMap<>();
        lags.put("ngao-ledger", 3L);
        lags.put("ngao-risk", 40L);
        lags.put("ngao-notifier", 0L);
        MemoryBenchmark.Backlog backlog = MemoryBenchmark.Backlog.of(lags);
        assertThat(backlog.total()).isEqualTo(43);
        assertThat(backlog).hasToString("43 (most: ngao-risk 40)");
        assertThat(MemoryBenchmark.Backlog.of(Map.of("ngao-ledger", 0L))).hasToString("0");
        assertThat(MemoryBenchmark.Backlog.UNKNOWN).hasToString("?");
    }

    @Test
    void theBacklogNamesTheTwoTopicsItsLargestGroupHasMostToRead() {
        TopicPartition requests = new TopicPartition("payments.requests", 0);
        TopicPartition commands = new TopicPartition("risk.commands", 0);
        TopicPartition repartition = new TopicPartition("ngao-risk-budget-repartition", 1);
        Map<String, Long> byTopic = MemoryBenchmark.Backlog.lagByTopic(
                Map.of(requests, 10L, commands, 7L, repartition, 0L),
                Map.of(requests, 50L, commands, 8L, repartition, 5L));
        assertThat(byTopic).containsOnly(Map.entry("payments.requests", 40L), Map.entry("risk.commands", 1L),
                Map.entry("ngao-risk-budget-repartition", 5L));
        MemoryBenchmark.Backlog backlog = MemoryBenchmark.Backlog.of(Map.of("ngao-risk", 46L)).withTopics(byTopic);
        assertThat(backlog).hasToString("46 (most: ngao-risk 46: payments.requests 40, ngao-risk-budget-repartition 5)");
    }
}
