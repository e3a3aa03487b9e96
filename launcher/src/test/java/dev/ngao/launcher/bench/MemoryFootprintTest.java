package dev.ngao.launcher.bench;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryFootprintTest {

    @Test
    void readsTheResidentSetFromProcStatus() {
        assertThat(MemoryFootprint.parseRss("Name:\tjava\nVmHWM:\t 2000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 1 kB\n"))
                .isEqualTo(123_456L * 1024);
        assertThat(MemoryFootprint.parseRss("Name:\tjava\n")).isEqualTo(-1);
    }

    @Test
    void readsTheJvmsCommittedTotalFromNativeMemoryTracking() {
        String summary = "\nNative Memory Tracking:\n\n(Omitting categories weighting less than 1KB)\n\n"
                + "Total: reserved=7654321KB, committed=456789KB\n       malloc: 12345KB #1234\n";
        assertThat(MemoryFootprint.parseNmtCommitted(summary)).isEqualTo(OptionalLong.of(456_789L * 1024));
        assertThat(MemoryFootprint.parseNmtCommitted("Native memory tracking is not enabled")).isEmpty();
    }

    @Test
    void theUntrackedShareIsTheResidentSetBeyondWhatTheJvmCommits() {
        MemoryFootprint tracked = new MemoryFootprint(900, 100, 200, 10, OptionalLong.of(600));
        assertThat(tracked.untrackedBytes()).isEqualTo(OptionalLong.of(300));
        assertThat(new MemoryFootprint(900, 100, 200, 10, OptionalLong.empty()).untrackedBytes()).isEmpty();
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(MemoryFootprint.now().rssBytes()).isPositive();
        }
    }
}
