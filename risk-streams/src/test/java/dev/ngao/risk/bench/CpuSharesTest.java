package dev.ngao.risk.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CpuSharesTest {

    @Test
    void threadsAreChargedToWhatTheyDo() {
        assertThat(CpuShares.group("risk-bench-1c2-StreamThread-1")).isEqualTo(CpuShares.PROCESSING);
        assertThat(CpuShares.group("bench-copier")).isEqualTo(CpuShares.PROCESSING);
        assertThat(CpuShares.group("kafka-producer-network-thread | risk-bench-1c2-StreamThread-2-producer"))
                .isEqualTo(CpuShares.PRODUCER_NETWORK);
        assertThat(CpuShares.group("kafka-producer-network-thread | bench-copier")).isEqualTo(CpuShares.PRODUCER_NETWORK);
        assertThat(CpuShares.group("risk-bench-1c2-GlobalStreamThread")).isEqualTo(CpuShares.GLOBAL_THREAD);
        assertThat(CpuShares.group("kafka-producer-network-thread | bench-sender-3")).isEqualTo(CpuShares.HARNESS);
        assertThat(CpuShares.group("bench-reader-3")).isEqualTo(CpuShares.HARNESS);
        assertThat(CpuShares.group("data-plane-kafka-request-handler-0")).isEqualTo(CpuShares.BROKER);
    }

    @Test
    void chargesTheCpuUsedSinceTheStartToTheAnswers() {
        CpuShares cpu = CpuShares.start();
        // Spins until this thread has used 50 ms of CPU (not of wall time: on a busy machine it gets less)
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + 50_000_000L;
        long sum = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            sum += System.nanoTime() % 7;
        }
        Map<String, Double> perAnswer = cpu.microsPerAnswer(10);
        assertThat(sum).isPositive();
        // This test runs on "main" (harness) or a Surefire worker (the rest): together at least 50 ms / 10 answers.
        assertThat(perAnswer.get(CpuShares.HARNESS) + perAnswer.get(CpuShares.BROKER)).isGreaterThan(4_000.0);
        assertThat(CpuShares.describe(perAnswer)).startsWith("processing ").contains("(total ");
        assertThat(cpu.microsPerAnswer(0)).isEmpty();
    }
}
