package dev.ngao.ingest.ops;

import dev.ngao.events.AuditOutcome;
import dev.ngao.ingest.http.RequestOutcome;
import dev.ngao.platform.auth.KeyExpiry;
import dev.ngao.platform.auth.KeyStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import dev.ngao.platform.observability.ServiceMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Producer;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The service's metrics, in Prometheus' text format. Every label takes a bounded set of values (route
 * templates, standard methods, status codes, problem type slugs, topic names), never a raw path or an id:
 * <ul>
 *   <li>{@value #REQUESTS}: requests by method, route, status and outcome;</li>
 *   <li>{@value #REFUSALS}: refused requests by reason, the problem type;</li>
 *   <li>{@value #KAFKA_SEND}: time from publish to Kafka's acknowledgement, by topic and result;</li>
 *   <li>{@value #AUDIT_WRITE_FAILURES}: audit records not written, by cause;</li>
 * </ul>
 * plus what every service has ({@link ServiceMetrics}: the JVM's, and the Kafka producers bound here), each
 * series tagged {@code service="ingest-service"}.
 */
public final class IngestMetrics implements KafkaSendObserver, AutoCloseable {

    public static final String REQUESTS = "ngao.ingest.requests";
    public static final String REFUSALS = "ngao.ingest.refusals";
    public static final String KAFKA_SEND = "ngao.ingest.kafka.send";
    public static final String AUDIT_WRITE_FAILURES = "ngao.ingest.audit.write.failures";
    /** Seconds until the soonest expiry of a working API key ({@link KeyExpiry}); the alert's threshold is 14 days. */
    public static final String API_KEY_EXPIRY = "ngao.api.keys.soonest.expiry.seconds";

    private static final Duration SHORTEST_EXPECTED_SEND = Duration.ofMillis(1);
    private static final Duration LONGEST_EXPECTED_SEND = Duration.ofMinutes(2);

    public static final String SERVICE = "ingest-service";

    private final ServiceMetrics service = new ServiceMetrics(SERVICE);
    private final MeterRegistry registry = service.registry();

    /** Exports when the soonest working key of {@code keys} expires: read from memory at each scrape. */
    public void bindKeyExpiry(KeyStore keys) {
        Gauge.builder(API_KEY_EXPIRY, keys, store -> KeyExpiry.secondsUntilSoonest(store.all(), Instant.now()))
                .description("Seconds until the soonest expiry of a working API key (the last of its active secrets); "
                        + "NaN when no key works")
                .register(registry);
    }

    /** Adds a producer's metrics (send rate, errors, request latency, buffer use). */
    public void bind(Producer<?, ?> producer) {
        service.bind(producer);
    }

    public void request(RequestOutcome outcome) {
        Counter.builder(REQUESTS)
                .description("HTTP requests by route template, method, status and outcome")
                .tag("method", outcome.method())
                .tag("route", outcome.route())
                .tag("status", Integer.toString(outcome.status()))
                .tag("outcome", outcome.outcome().name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
        if (outcome.outcome() == AuditOutcome.REFUSED) {
            Counter.builder(REFUSALS)
                    .description("Refused requests by reason (the problem type)")
                    .tag("reason", outcome.reason())
                    .register(registry)
                    .increment();
        }
    }

    @Override
    public void sent(String topic, long elapsedNanos, boolean acknowledged) {
        Timer.builder(KAFKA_SEND)
                .description("Time from publishing an event to Kafka's acknowledgement (acks=all) or failure")
                .tag("topic", topic)
                .tag("result", acknowledged ? "acknowledged" : "failed")
                .publishPercentileHistogram()
                .minimumExpectedValue(SHORTEST_EXPECTED_SEND)
                .maximumExpectedValue(LONGEST_EXPECTED_SEND)
                .register(registry)
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    public void auditWriteFailed(String cause) {
        Counter.builder(AUDIT_WRITE_FAILURES)
                .description("Audit records that could not be written, by cause")
                .tag("cause", cause)
                .register(registry)
                .increment();
    }

    @Override
    public void close() {
        service.close();
    }

    /** The metrics in Prometheus' text exposition format. */
    public String scrape() {
        return service.scrape();
    }
}
