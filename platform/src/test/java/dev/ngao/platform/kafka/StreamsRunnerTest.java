package dev.ngao.platform.kafka;

import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** What becomes of a failed stream thread: replaced while failures stay within the bound, then the client stops. */
class StreamsRunnerTest {

    private static final Instant START = Instant.parse("2026-12-07T06:00:00Z");

    @Test
    void shouldTellAStoreClosedUnderTheThreadFromOtherFailures() {
        assertThat(StreamsRunner.transientStoreFailure(new StreamsException(
                new InvalidStateStoreException("Store signals.1740657600000 is currently closed")))).isTrue();
        assertThat(StreamsRunner.transientStoreFailure(new StreamsException(new IllegalStateException("a bug"))))
                .isFalse();
        assertThat(StreamsRunner.transientStoreFailure(new IllegalArgumentException("bad input"))).isFalse();
    }

    @Test
    void shouldReplaceAThreadThatFailedWhileTheBrokerWasAwayOrItsTransactionWasFenced() {
        StreamsRunner runner = new StreamsRunner("test", new ThreadReplacements(3, Duration.ofMinutes(10),
                Clock.fixed(START, ZoneOffset.UTC)));

        // A commit that timed out with the broker away, and a transaction the coordinator aborted under the thread
        assertThat(runner.onStreamThreadFailure(new StreamsException(new TimeoutException(
                "Topic ngao-risk-account-signals-changelog not present in metadata after 60000 ms"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(runner.onStreamThreadFailure(new StreamsException(new InvalidTxnStateException("aborted"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(runner.onStreamThreadFailure(new StreamsException(new InvalidStateStoreException("closed"))))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);

        // A fourth within the window: the failure keeps coming back, so the client shuts down instead of looping
        assertThat(runner.onStreamThreadFailure(new StreamsException(new IllegalStateException("again"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldForgetReplacementsOlderThanTheWindow() {
        AtomicReference<Instant> now = new AtomicReference<>(START);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        ThreadReplacements replacements = new ThreadReplacements(2, Duration.ofMinutes(10), clock);

        assertThat(replacements.allowAnother()).isTrue();
        now.set(START.plus(Duration.ofMinutes(5)));
        assertThat(replacements.allowAnother()).isTrue();
        assertThat(replacements.allowAnother()).isFalse();

        // Ten minutes after the first, it leaves the window: one more is allowed, not two
        now.set(START.plus(Duration.ofMinutes(10)).plusSeconds(1));
        assertThat(replacements.allowAnother()).isTrue();
        assertThat(replacements.allowAnother()).isFalse();
    }
}
