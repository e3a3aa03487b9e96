package dev.ngao.ingest.ops;

import dev.ngao.events.AuditRecord;
import dev.ngao.ingest.audit.AuditLog;
import dev.ngao.ingest.audit.RequestAudit;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.kafka.IngestProducers;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.apache.kafka.clients.producer.Producer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What every request passes besides its route, and what runs the service: the audit trail, the metrics,
 * Kafka readiness and the HTTP limits. {@link #observers()} go first on the router, {@link #routes()} are
 * the unauthenticated operations routes, {@link #configure} sets the HTTP limits and the answer to
 * requests the decoder refused.
 */
public final class Operations implements AutoCloseable {

    /** Audit records waiting for Kafka at most; beyond it records are dropped, logged and counted. */
    public static final int AUDIT_QUEUE_CAPACITY = 10_000;
    /** How often Kafka's reachability is checked, and how long one check may take. */
    public static final Duration READINESS_INTERVAL = Duration.ofSeconds(5);
    public static final Duration READINESS_TIMEOUT = Duration.ofSeconds(3);

    /** How long audit records gather before a batch is sent. */
    static final Duration AUDIT_LINGER = Duration.ofMillis(50);

    private final IngestMetrics metrics;
    private final AuditLog auditLog;
    private final RequestAudit audit;
    private final KafkaReadiness readiness;
    private final AutoCloseable probe;

    /**
     * @param auditProducer writes {@code audit.ingest}; owned (closed) by this object from now on
     * @param probe asked in the background whether Kafka is reachable; closed with this object if closeable
     */
    public Operations(IngestMetrics metrics, Producer<String, AuditRecord> auditProducer, ClusterProbe probe,
                      Duration readinessInterval, Clock clock) {
        this.metrics = metrics;
        this.auditLog = new AuditLog(auditProducer, AUDIT_QUEUE_CAPACITY, metrics::auditWriteFailed);
        this.audit = new RequestAudit(auditLog, clock);
        this.readiness = new KafkaReadiness(probe, readinessInterval, clock).start();
        this.probe = probe instanceof AutoCloseable closeable ? closeable : () -> { };
    }

    /**
     * The usual wiring: its own audit producer and admin client on {@code kafka}. The audit producer lingers
     * ({@link #AUDIT_LINGER}): no answer waits for an audit record, so batching them costs nothing visible
     * and saves a broker request and a compressed batch per HTTP request.
     */
    public static Operations connect(KafkaContext kafka, String clientId) {
        Producer<String, AuditRecord> producer = IngestProducers.lingering(kafka, Topics.AUDIT_INGEST,
                clientId + "-audit", AUDIT_LINGER);
        AdminClusterProbe probe = AdminClusterProbe.connect(kafka.settings(), clientId + "-readiness", READINESS_TIMEOUT);
        IngestMetrics metrics = new IngestMetrics();
        metrics.bind(producer);
        return new Operations(metrics, producer, probe, READINESS_INTERVAL, Clock.systemUTC());
    }

    /** Mounted at the front of the router, before any route: audit first, then metrics. */
    public List<RouteGroup> observers() {
        return List.of(audit, new RequestMetrics(metrics));
    }

    public RouteGroup routes() {
        return new OperationsRoutes(metrics, readiness::ready);
    }

    /** The HTTP limits on {@code options}. */
    public HttpServerOptions configure(HttpServerOptions options) {
        return HttpLimits.apply(options);
    }

    /** Answers, audits and counts the requests the HTTP decoder refused. */
    public HttpServer configure(HttpServer server) {
        return server.invalidRequestHandler(new InvalidRequests(audit, metrics));
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    /** Queues an audit record not made by an HTTP request (a status-query result, say); never blocks. */
    public void audit(AuditRecord record) {
        auditLog.write(record);
    }

    /** Audit records waiting to be handed to Kafka. */
    public int auditQueued() {
        return auditLog.queued();
    }

    public KafkaReadiness readiness() {
        return readiness;
    }

    /** Stops probing, then writes the queued audit records and closes the producer. Idempotent. */
    @Override
    public void close() {
        readiness.close();
        auditLog.close();
        metrics.close();
        try {
            probe.close();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot close the readiness probe", e);
        }
    }
}
