package dev.ngao.ingest.audit;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AuditLogTest {

    private final List<String> failures = new CopyOnWriteArrayList<>();

    @Test
    void shouldWriteRecordKeyedBySubjectToAuditTopicWhenKafkaAccepts() {
        MockProducer<String, AuditRecord> producer = producer(true);
        AuditLog log = new AuditLog(producer, 10, failures::add);

        log.write(record("txn_1"));

        await().atMost(5, TimeUnit.SECONDS).until(() -> producer.history().size() == 1);
        assertThat(producer.history().get(0).topic()).isEqualTo(Topics.AUDIT_INGEST.name());
        assertThat(producer.history().get(0).key()).isEqualTo("txn_1");
        log.close();
        assertThat(failures).isEmpty();
    }

    @Test
    void shouldCountKafkaFailureWhenKafkaRefusesRecord() {
        MockProducer<String, AuditRecord> producer = producer(false);
        AuditLog log = new AuditLog(producer, 10, failures::add);

        log.write(record("txn_1"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> producer.history().size() == 1);
        producer.errorNext(new TimeoutException("no broker"));

        await().atMost(5, TimeUnit.SECONDS).until(() -> failures.equals(List.of(AuditLog.CAUSE_KAFKA)));
        log.close();
    }

    @Test
    void shouldDropAndCountRecordWhenQueueIsFullInsteadOfBlocking() throws Exception {
        // Given a producer stuck in send, and room for one waiting record
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch sending = new CountDownLatch(1);
        MockProducer<String, AuditRecord> producer = new MockProducer<>(true, null, new StringSerializer(),
                (topic, value) -> new byte[0]) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, AuditRecord> record, Callback callback) {
                sending.countDown();
                try {
                    stuck.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.send(record, callback);
            }
        };
        AuditLog log = new AuditLog(producer, 1, failures::add);
        log.write(record("txn_1"));
        assertThat(sending.await(5, TimeUnit.SECONDS)).isTrue();

        // When two more come while the writer is stuck
        long startedNanos = System.nanoTime();
        log.write(record("txn_2"));
        log.write(record("txn_3"));

        // Then the second waits, the third is dropped and counted, and neither call waited
        assertThat(System.nanoTime() - startedNanos).isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(failures).containsExactly(AuditLog.CAUSE_QUEUE_FULL);
        stuck.countDown();
        await().atMost(5, TimeUnit.SECONDS).until(() -> producer.history().size() == 2);
        log.close();
    }

    @Test
    void shouldWriteQueuedRecordsBeforeClosing() {
        MockProducer<String, AuditRecord> producer = producer(true);
        AuditLog log = new AuditLog(producer, 100, failures::add);
        for (int index = 0; index < 50; index++) {
            log.write(record("txn_" + index));
        }

        log.close();

        assertThat(producer.history()).hasSize(50);
        assertThat(producer.closed()).isTrue();
        log.write(record("txn_late"));
        assertThat(failures).containsExactly(AuditLog.CAUSE_CLOSED);
    }

    private static MockProducer<String, AuditRecord> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), (topic, value) -> new byte[0]);
    }

    private static AuditRecord record(String subjectId) {
        return AuditRecord.newBuilder()
                .setAuditId("audit-" + subjectId)
                .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z"))
                .setComponent(RequestAudit.COMPONENT)
                .setActor("key-a")
                .setAction("POST /v1/payments")
                .setSubjectType(RequestAudit.SUBJECT_TRANSACTION)
                .setSubjectId(subjectId)
                .setOutcome(AuditOutcome.SUCCESS)
                .setDetails(Map.of(RequestAudit.REQUEST_ID_DETAIL, "request-" + subjectId))
                .build();
    }
}
