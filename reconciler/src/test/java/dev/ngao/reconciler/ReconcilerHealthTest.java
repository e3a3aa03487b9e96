package dev.ngao.reconciler;

import dev.ngao.platform.kafka.StreamsRunner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reconciler's /health says DOWN once one of its Kafka Streams applications has stopped. */
class ReconcilerHealthTest {

    @Test
    void shouldServeOnlyWhileNoApplicationHasStopped() {
        StreamsRunner matcher = new StreamsRunner("reconciler");
        StreamsRunner submitter = new StreamsRunner("reconciler-submit");

        assertThat(ReconcilerHealth.serving(matcher, submitter)).isTrue();

        // When one stops (here closed; a client shut down after its threads kept failing ends the same way)
        submitter.close();

        assertThat(ReconcilerHealth.serving(matcher, submitter)).isFalse();
    }
}
