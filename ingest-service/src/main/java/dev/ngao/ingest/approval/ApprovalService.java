package dev.ngao.ingest.approval;

import dev.ngao.events.ApprovalRequest;
import dev.ngao.events.AuditRecord;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.kafka.IngestProducers;
import dev.ngao.ingest.kafka.LogFollower;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Maker-checker in a running ingest: the desk over {@code ingest.approvals} (the process's shared producer,
 * and a view following the topic from its beginning, so pending approvals survive restarts and every instance
 * sees the same), and a sweep that expires what nobody decided in time.
 */
public final class ApprovalService implements AutoCloseable {

    /** Approvals the view keeps; pending ones are bounded per merchant, decided ones are forgotten oldest first. */
    public static final int VIEW_MAX_ENTRIES = 200_000;
    /** How often overdue approvals are looked for. */
    public static final Duration EXPIRY_SWEEP_INTERVAL = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalService.class);

    private final LogFollower<ApprovalRequest> follower;
    private final AcknowledgedPublisher<String, ApprovalRequest> publisher;
    private final ApprovalDesk desk;
    private final Vertx vertx;
    private final long sweepTimer;

    private ApprovalService(LogFollower<ApprovalRequest> follower, AcknowledgedPublisher<String, ApprovalRequest> publisher,
                            ApprovalDesk desk, Vertx vertx) {
        this.follower = follower;
        this.publisher = publisher;
        this.desk = desk;
        this.vertx = vertx;
        this.sweepTimer = vertx.setPeriodic(EXPIRY_SWEEP_INTERVAL.toMillis(), ignored -> desk.expireOverdue());
    }

    /**
     * Starts following {@code ingest.approvals} and waits (bounded by {@code startWait}) until the approvals
     * present are read, so a pending approval is known from the first request on.
     */
    public static ApprovalService start(Vertx vertx, KafkaContext kafka, IngestProducers producers,
                                        Duration timeToLive, int maxPendingPerMerchant, Duration kafkaWait,
                                        Duration startWait, Consumer<AuditRecord> audit, String clientId)
            throws InterruptedException {
        ApprovalView view = new ApprovalView(VIEW_MAX_ENTRIES);
        LogFollower<ApprovalRequest> follower = new LogFollower<>(Topics.INGEST_APPROVALS,
                kafka.consumer(Topics.INGEST_APPROVALS, clientId + "-approvals", null), record -> {
                    if (record.value() == null) {
                        view.remove(record.key());
                    } else {
                        view.apply(record.value());
                    }
                }, clientId + "-approvals");
        follower.start();
        AcknowledgedPublisher<String, ApprovalRequest> publisher = new AcknowledgedPublisher<>(vertx,
                producers.forTopic(Topics.INGEST_APPROVALS), Topics.INGEST_APPROVALS, kafkaWait.toMillis());
        ApprovalDesk desk = new ApprovalDesk(new KafkaApprovalLog(publisher, follower), view, Clock.systemUTC(),
                timeToLive, maxPendingPerMerchant, audit);
        try {
            follower.caughtUp().get(startWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Approvals not caught up with {} after {} s; serving anyway: {}", Topics.INGEST_APPROVALS.name(),
                    startWait.toSeconds(), e.toString());
        }
        LOG.info("{} approvals known, {} of them pending", view.size(),
                view.list(null, dev.ngao.events.ApprovalStatus.PENDING, desk.now(), VIEW_MAX_ENTRIES).size());
        return new ApprovalService(follower, publisher, desk, vertx);
    }

    public ApprovalDesk desk() {
        return desk;
    }

    /** Stops the sweep and reading first, then the publisher (a view on the shared producer, which its owner closes). */
    @Override
    public void close() {
        vertx.cancelTimer(sweepTimer);
        follower.close();
        publisher.close();
    }
}
