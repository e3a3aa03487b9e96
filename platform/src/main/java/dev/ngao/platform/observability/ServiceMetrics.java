package dev.ngao.platform.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One service's metrics in Prometheus' text format, served at {@value #PATH}: the JVM's, every Kafka client the
 * service binds (consumer lag, fetch and commit rates, producer send rates and errors), Kafka Streams' own
 * (commit latency, process rates, records lag per task), and the service's domain counters, all tagged with
 * the service's name so one Prometheus can scrape the embedded mode's services apart. Labels take bounded
 * values only (outcomes, rule ids, kinds, topics), never an id or an amount.
 */
public final class ServiceMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);
    public static final String PATH = "/metrics";
    /** Prometheus' text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> binders = new ArrayList<>();

    public ServiceMetrics(String service) {
        registry.config().commonTags("service", service);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Adds a consumer's metrics (lag per partition, fetch and commit latency). */
    public void bind(Consumer<?, ?> consumer) {
        bind(new KafkaClientMetrics(consumer));
    }

    /** Adds a producer's metrics (send rate, errors, request latency). */
    public void bind(Producer<?, ?> producer) {
        bind(new KafkaClientMetrics(producer));
    }

    /** Adds a Kafka Streams client's metrics (commit latency, process rate, records lag of its consumers). */
    public void bind(KafkaStreams streams) {
        bind(new KafkaStreamsMetrics(streams));
    }

    private synchronized <B extends MeterBinder & AutoCloseable> void bind(B binder) {
        binder.bindTo(registry);
        binders.add(binder);
    }

    /** Mounts {@value #PATH} on {@code router}. */
    public void mount(Router router) {
        router.get(PATH).handler(context -> context.response().putHeader("Content-Type", CONTENT_TYPE)
                .end(scrape()));
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                // Closing a binder only stops its refresh; the registry closes below either way.
                LOG.debug("Closing a metrics binder failed", e);
            }
        }
        binders.clear();
        registry.close();
    }
}
