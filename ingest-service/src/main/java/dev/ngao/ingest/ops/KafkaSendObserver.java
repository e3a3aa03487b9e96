package dev.ngao.ingest.ops;

/** Told how long each Kafka write took until acknowledged (or failed): for the send latency metric. */
@FunctionalInterface
public interface KafkaSendObserver {

    KafkaSendObserver NONE = (topic, elapsedNanos, acknowledged) -> {
    };

    /**
     * @param elapsedNanos from the call to publish to the acknowledgement, the failure or the timeout
     * @param acknowledged whether Kafka acknowledged the write
     */
    void sent(String topic, long elapsedNanos, boolean acknowledged);
}
