package dev.ngao.platform.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

class OneLineTest {

    @Test
    void shouldJoinTheLinesOfAMessageWhenItHasSeveral() {
        assertThat(OneLine.of("rule set refused:\n  rule a: window 0\r\n  rule b: no limit\n"))
                .isEqualTo("rule set refused:; rule a: window 0; rule b: no limit");
        assertThat(OneLine.of((String) null)).isEqualTo("(no message)");
    }

    @Test
    void shouldNameAFailureAndEachCauseWithoutAStackTrace() {
        Throwable failure = new IllegalStateException("could not create topic",
                new UncheckedIOException("timed out\nwaiting", new IOException("connection refused")));

        assertThat(OneLine.of(failure)).isEqualTo("IllegalStateException: could not create topic: "
                + "UncheckedIOException: timed out; waiting: IOException: connection refused");
    }
}
