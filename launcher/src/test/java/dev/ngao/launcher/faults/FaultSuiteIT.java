package dev.ngao.launcher.faults;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite's CI-sized run: the whole embedded Ngao, a child process on its own data directory, killed
 * with SIGKILL twice under a low load of signed idempotent payments and restarted on the same data, every request
 * without a final answer sent again with its key, and then the suite's invariants over the topics, the ledger
 * API and the provider: every accepted request decided once, every approval posted once, no entry id with two
 * contents, a zero trial balance, no payment submitted twice, no reconciliation break. {@code ./ngao fault-suite}
 * runs the same with ten kills, broker restarts and a three-node cluster.
 */
class FaultSuiteIT {

    @TempDir
    Path directory;

    @Test
    void shouldKeepEveryInvariantWhenTheWholeProcessIsKilledTwiceUnderLoad() throws Exception {
        // Given the embedded Ngao in a child process, one payment a second through its API, killed twice at random
        // moments 3 to 8 s after it serves
        FaultRun.Settings settings = new FaultRun.Settings(FaultRun.Kind.PROCESS_KILLS, 2, 1, 20_260_301L,
                new FaultRun.Range(Duration.ofSeconds(3), Duration.ofSeconds(8)), new FaultRun.Range(Duration.ZERO,
                Duration.ZERO), Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(10),
                Duration.ofMinutes(5), List.of("-Xmx1g"), directory);

        // When it runs, and the pipeline settles
        FaultRun.Result result = new FaultRun(settings, System.out).run();
        System.out.print(result.verdict().table("FaultSuiteIT"));

        // Then both kills happened under load (requests met a dead process and were sent again), every request was
        // accepted in the end, payments were approved, posted and submitted, and every invariant holds
        assertThat(result.faults()).isEqualTo(2);
        assertThat(result.load().retried()).isPositive();
        assertThat(result.load().accepted()).isEqualTo(result.load().requests()).isPositive();
        assertThat(Long.parseLong(result.verdict().figures().get("  posted (je:<tx>:approved)"))).isPositive();
        assertThat(Long.parseLong(result.verdict().figures().get("provider submissions (transactions)")))
                .isPositive();
        assertThat(result.verdict().violations()).isEmpty();
    }
}
