package dev.ngao.sandbox;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyRecorderTest {

    private static final long MILLIS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void shouldMeasureFromSendToDecisionWhenTheAnswerComesFirst() {
        LatencyRecorder recorder = new LatencyRecorder();

        recorder.accepted("txn_1", 1_000 * MILLIS);
        recorder.decided("txn_1", 1_040 * MILLIS);

        LatencyRecorder.Snapshot snapshot = recorder.interval();
        assertThat(snapshot.count()).isEqualTo(1);
        assertThat(snapshot.p50Millis()).isCloseTo(40, within(0.5));
    }

    @Test
    void shouldMeasureWhenTheDecisionIsReadBeforeTheHttpAnswer() {
        LatencyRecorder recorder = new LatencyRecorder();

        recorder.decided("txn_1", 1_120 * MILLIS);
        recorder.accepted("txn_1", 1_000 * MILLIS);

        assertThat(recorder.interval().p99Millis()).isCloseTo(120, within(0.5));
    }

    @Test
    void shouldIgnoreDecisionsOfOtherTraffic() {
        LatencyRecorder recorder = new LatencyRecorder();

        recorder.decided("txn_not_ours", 5 * MILLIS);

        assertThat(recorder.interval().count()).isZero();
    }

    @Test
    void shouldStartEachIntervalAfreshButKeepTheRunTotal() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.accepted("txn_1", 0);
        recorder.decided("txn_1", 10 * MILLIS);
        assertThat(recorder.interval().count()).isEqualTo(1);

        recorder.accepted("txn_2", 0);
        recorder.decided("txn_2", 30 * MILLIS);
        LatencyRecorder.Snapshot second = recorder.interval();

        assertThat(second.count()).isEqualTo(1);
        assertThat(second.p50Millis()).isCloseTo(30, within(0.5));
        assertThat(recorder.total().count()).isEqualTo(2);
    }
}
