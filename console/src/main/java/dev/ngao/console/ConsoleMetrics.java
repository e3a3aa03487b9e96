package dev.ngao.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The console's own counters, beside the Kafka client and JVM metrics of its {@code ServiceMetrics}. */
final class ConsoleMetrics {

    private final MeterRegistry registry;
    private final Counter ingestUnavailable;

    ConsoleMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ingestUnavailable = Counter.builder("ngao.console.ingest.unavailable")
                .description("Console requests that could not reach the ingest service").register(registry);
    }

    /** A sign-in attempt: ok, refused (ingest did not accept the key) or no-scope. */
    void signIn(String result) {
        Counter.builder("ngao.console.sign.ins").description("Sign-in attempts by result")
                .tag("result", result).register(registry).increment();
    }

    /** A resolution sent to ingest, by outcome and ingest's answer (202, 409, ...). */
    void resolution(String outcome, int status) {
        Counter.builder("ngao.console.resolutions").description("Review resolutions sent to ingest")
                .tag("outcome", outcome).tag("status", Integer.toString(status)).register(registry).increment();
    }

    void ingestUnavailable() {
        ingestUnavailable.increment();
    }
}
