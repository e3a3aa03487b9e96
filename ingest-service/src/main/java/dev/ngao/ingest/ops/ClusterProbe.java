package dev.ngao.ingest.ops;

/** Asks whether the Kafka cluster answers; may block up to its own timeout, so it never runs on the event loop. */
@FunctionalInterface
public interface ClusterProbe {

    /** True when the cluster answered with at least one broker; false or an exception otherwise. */
    boolean reachable() throws Exception;
}
