package dev.ngao.risk.audit;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.Shutdown;
import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.observability.Traceparent;
import dev.ngao.risk.audit.ChangeAudit.Position;
import dev.ngao.risk.topology.RuleSetCompilation;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Audits rule-set publications, list changes and operators' emergency stops on {@code audit.risk}. The topology applies {@code risk.rulesets}
 * and {@code risk.lists} in global stores, whose processors run again on every restore and cannot forward, and a
 * topic can be a source of one topology only once; so this follower reads both topics beside it, with a plain
 * {@code read_committed} consumer of its own group ({@code <application id>-change-audit}, so every instance
 * together reads each change once), and writes per change one record ({@link ChangeAudit}): per published rule set
 * version whether it was accepted or refused, judged with the topology's own compiler ({@link RuleSetVerdict}),
 * with every problem and the key that published it; per list entry set or removed its merchant, list, dimension
 * and keyed hash, never a personal value; per emergency stop set or lifted ({@code risk.stops}) its scope,
 * target, traffic, reason and the operator key.
 *
 * <p>At least once: a poll's records are written by an idempotent producer and acknowledged before its offsets
 * are committed, so a change is audited once or, after a crash, a rebalance or a failed write, again under the
 * same {@code auditId}; readers de-duplicate by it. A write that is not acknowledged rewinds the poll and tries
 * again after {@link #RETRY_BACKOFF}. Bounded: {@value #MAX_CHANGES_PER_POLL} records a poll, each poll waits at
 * most {@link #POLL_TIMEOUT}; {@link #close()} wakes the poll, waits for the thread and closes the clients, quietly.
 * The loop is platform's {@link ConsumerLoop} (commit after handle; poll failures and records the audit itself
 * cannot make stop it).
 */
public final class ChangeAuditFollower implements AutoCloseable {

    /** Changes per poll at most: each is one small audit record, written and acknowledged before the commit. */
    public static final int MAX_CHANGES_PER_POLL = 100;
    /** The longest wait of one poll; closing wakes it at once. */
    public static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    /** Longer than the producer's delivery timeout (120 s): Kafka answers first, with its own error. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final String THREAD_NAME = "risk-change-audit";
    private static final Logger LOG = LoggerFactory.getLogger(ChangeAuditFollower.class);

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, AuditRecord> producer;
    private final Deserializer<RuleSetPublished> ruleSets;
    private final Deserializer<ListEntryChange> lists;
    private final Deserializer<EmergencyStop> stops;
    private final RuleSetCompilation compiler;
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();
    private final ConsumerLoop loop;
    private Thread thread;

    ChangeAuditFollower(Consumer<String, byte[]> consumer, Producer<String, AuditRecord> producer,
                        Deserializer<RuleSetPublished> ruleSets, Deserializer<ListEntryChange> lists,
                        Deserializer<EmergencyStop> stops, RuleSetCompilation compiler) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.producer = Objects.requireNonNull(producer, "producer");
        this.ruleSets = Objects.requireNonNull(ruleSets, "ruleSets");
        this.lists = Objects.requireNonNull(lists, "lists");
        this.stops = Objects.requireNonNull(stops, "stops");
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        // Committed once the audit records are acknowledged; a write that is not rewinds the poll and comes again.
        // Nothing is committed on the way out: what was not written and acknowledged is read again.
        this.loop = ConsumerLoop.builder(THREAD_NAME)
                .pollTimeout(POLL_TIMEOUT)
                .beforeFirstPoll(this::subscribe)
                .source(consumer, this::auditAndPublish, ConsumerLoop.Commit.AFTER_HANDLE,
                        ConsumerLoop.Undecodable.STOP)
                .retryAfter(RETRY_BACKOFF, AuditNotWritten.class)
                .closeConsumers(CLOSE_TIMEOUT)
                .build();
    }

    /**
     * Starts following on a thread of its own.
     *
     * @param groupId  the consumer group (and client id prefix): {@code <application id>-change-audit}
     * @param compiler the compiler the topology judges rule sets with
     */
    public static ChangeAuditFollower start(KafkaContext kafka, String groupId, RuleSetCompilation compiler) {
        ChangeAuditFollower follower = new ChangeAuditFollower(consumer(kafka, groupId),
                kafka.producer(Topics.AUDIT_RISK, groupId + "-producer"),
                kafka.serdes(Topics.RISK_RULESETS).valueSerde().deserializer(),
                kafka.serdes(Topics.RISK_LISTS).valueSerde().deserializer(),
                kafka.serdes(Topics.RISK_STOPS).valueSerde().deserializer(), compiler);
        follower.thread = new Thread(follower::run, THREAD_NAME);
        follower.thread.start();
        return follower;
    }

    /** read_committed, manual commits, from the earliest offset, at most {@value #MAX_CHANGES_PER_POLL} a poll. */
    static Consumer<String, byte[]> consumer(KafkaContext kafka, String groupId) {
        Map<String, Object> config = KafkaClients.consumer(kafka.settings(), groupId, groupId);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_CHANGES_PER_POLL);
        // Values are decoded per record, so an undecodable change is audited as such instead of failing the poll.
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The consumer, for its metrics (lag of the audit behind the changes). */
    public Consumer<String, byte[]> kafkaConsumer() {
        return consumer;
    }

    /** Completes with the cause if the follower stops by a failure, not by {@link #close()}. */
    public CompletableFuture<Throwable> failure() {
        return failure;
    }

    void run() {
        try {
            loop.run();
            LOG.info("Stopped auditing rule-set publications and list changes");
        } catch (RuntimeException e) {
            LOG.error("The rule-set and list audit follower stopped", e);
            failure.complete(e);
        }
    }

    private void subscribe() {
        consumer.subscribe(List.of(Topics.RISK_RULESETS.name(), Topics.RISK_LISTS.name(), Topics.RISK_STOPS.name()));
        LOG.info("Auditing rule-set publications and list changes on {}", Topics.AUDIT_RISK.name());
    }

    /** One poll: its changes audited, written and acknowledged; the loop then commits their offsets. */
    void pollOnce() {
        loop.pollOnce();
    }

    private void auditAndPublish(ConsumerRecords<String, byte[]> records) {
        List<AuditRecord> audited = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            AuditRecord audit = audit(record);
            if (audit != null) {
                audited.add(audit);
            }
        }
        try {
            publish(audited);
        } catch (RuntimeException e) {
            throw new AuditNotWritten(records.count(), e);
        }
    }

    private AuditRecord audit(ConsumerRecord<String, byte[]> record) {
        Position position = new Position(record.topic(), record.partition(), record.offset());
        if (record.key() == null) {
            LOG.warn("Skipped a change without a key on {} at {}", record.topic(), position);
            return null;
        }
        String traceId = Traceparent.from(record.headers()).map(Traceparent::traceId).orElse(null);
        Instant at = Instant.ofEpochMilli(record.timestamp());
        boolean ruleSet = record.topic().equals(Topics.RISK_RULESETS.name());
        if (record.topic().equals(Topics.RISK_STOPS.name())) {
            return auditStop(record, position, at, traceId);
        }
        if (record.value() == null) {
            return ruleSet ? ChangeAudit.ruleSetRemoved(record.key(), position, at, traceId)
                    : ChangeAudit.listEntryRemoved(record.key(), position, at, traceId);
        }
        try {
            if (ruleSet) {
                RuleSetPublished published = ruleSets.deserialize(record.topic(), record.headers(), record.value());
                return ChangeAudit.ruleSetPublished(record.key(), published,
                        RuleSetVerdict.of(record.key(), published, compiler), traceId);
            }
            ListEntryChange change = lists.deserialize(record.topic(), record.headers(), record.value());
            return ChangeAudit.listEntrySet(record.key(), change, position, traceId);
        } catch (SerializationException e) {
            LOG.warn("Cannot decode the change on {} at {}: audited as unreadable", record.topic(), position);
            return ChangeAudit.unreadable(record.key(), position, at, e.getMessage());
        }
    }

    private AuditRecord auditStop(ConsumerRecord<String, byte[]> record, Position position, Instant at,
                                  String traceId) {
        if (record.value() == null) {
            return ChangeAudit.stopRemoved(record.key(), position, at, traceId);
        }
        try {
            return ChangeAudit.stop(record.key(), stops.deserialize(record.topic(), record.headers(), record.value()),
                    position, traceId);
        } catch (SerializationException e) {
            LOG.warn("Cannot decode the stop on {} at {}: audited as unreadable", record.topic(), position);
            return ChangeAudit.unreadable(record.key(), position, at, e.getMessage());
        }
    }

    /** Writes the records keyed by their subject and waits until every one is acknowledged. */
    private void publish(List<AuditRecord> audited) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(audited.size());
        for (AuditRecord audit : audited) {
            sends.add(producer.send(new ProducerRecord<>(Topics.AUDIT_RISK.name(), audit.getSubjectId(), audit)));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing audit records", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("an audit record was not acknowledged: " + e, e);
        }
    }

    /**
     * Stops following: wakes the poll under way (its changes are read again by the next follower of the group),
     * waits for the thread, then closes the producer. May be called again.
     */
    @Override
    public void close() {
        loop.stop();
        if (thread != null) {
            Shutdown.join(thread, CLOSE_TIMEOUT, LOG);
        }
        closeQuietly(() -> producer.close(CLOSE_TIMEOUT), "producer");
    }

    private static void closeQuietly(Runnable close, String what) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.warn("Closing the rule-set and list audit {} failed: {}", what, e.toString());
        }
    }

    /** The audit records of a poll were not all acknowledged: the loop reads the poll again after the back-off. */
    private static final class AuditNotWritten extends RuntimeException {
        AuditNotWritten(int changes, RuntimeException cause) {
            super("audit records of " + changes + " changes not written: " + cause.getMessage(), cause);
        }
    }
}
