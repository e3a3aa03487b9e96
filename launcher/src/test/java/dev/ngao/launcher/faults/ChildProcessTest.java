package dev.ngao.launcher.faults;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChildProcessTest {

    @Test
    void shouldNameTheExceptionAtTheTopOfTheStackTraceAsTheReasonAStartFailed() {
        // Given a failed start's log, with the earlier start's error lines before the stack trace
        String failure = """
                embedded Ngao exited with status 70 before it served; the end of ngao.out:
                03:32:10.908 ERROR o.a.k.s.p.i.TaskManager - Get exceptions for the following tasks: {7_2=org.apache.kafka.streams.errors.TaskCorruptedException: Tasks [7_2]}
                java.lang.IllegalStateException: reconciler-submit did not reach RUNNING within PT1M (state REBALANCING)
                \tat dev.ngao.platform.kafka.StreamsRunner.awaitRunning(StreamsRunner.java:119)
                Caused by: java.util.concurrent.TimeoutException
                """;

        assertThat(ChildProcess.reason(failure)).isEqualTo(
                "java.lang.IllegalStateException: reconciler-submit did not reach RUNNING within PT1M (state REBALANCING)");
    }

    @Test
    void shouldFallBackToTheFirstLineWithoutAStackTrace() {
        assertThat(ChildProcess.reason("Kafka node 1 exited with status 1 before it served\nno more"))
                .isEqualTo("Kafka node 1 exited with status 1 before it served");
    }
}
