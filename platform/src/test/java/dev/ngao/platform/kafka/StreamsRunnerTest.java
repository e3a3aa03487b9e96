package dev.ngao.platform.kafka;

import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which stream thread failures a new thread may retry: a store closed under it, nothing else. */
class StreamsRunnerTest {

    @Test
    void shouldTellAStoreClosedUnderTheThreadFromOtherFailures() {
        assertThat(StreamsRunner.transientStoreFailure(new StreamsException(
                new InvalidStateStoreException("Store signals.1740657600000 is currently closed")))).isTrue();
        assertThat(StreamsRunner.transientStoreFailure(new StreamsException(new IllegalStateException("a bug"))))
                .isFalse();
        assertThat(StreamsRunner.transientStoreFailure(new IllegalArgumentException("bad input"))).isFalse();
    }
}
