package dev.ngao.risk.audit;

import dev.ngao.events.AuditRecord;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The follower's loop against Kafka's mock clients: what it commits, and when it reads a poll again. */
class ChangeAuditFollowerTest {

    private static final TopicPartition LISTS_0 = new TopicPartition(Topics.RISK_LISTS.name(), 0);
    private static final String ENTRY_KEY = "shop-1|BLOCK|EMAIL|hash-1";

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    private final AtomicInteger sends = new AtomicInteger();
    /** Refuses the first write, as a broker away past the delivery timeout would. */
    private final MockProducer<String, AuditRecord> producer = new MockProducer<>(true, null, new StringSerializer(),
            (topic, record) -> new byte[0]) {
        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, AuditRecord> record) {
            if (sends.incrementAndGet() == 1) {
                throw new KafkaException("not acknowledged");
            }
            return super.send(record);
        }
    };

    @Test
    void shouldReadThePollAgainAndCommitOnlyOnceItsAuditIsWrittenWhenAWriteFails() {
        // Given a removed list entry, and a producer whose first write fails
        ChangeAuditFollower follower = new ChangeAuditFollower(consumer, producer, ChangeAuditFollowerTest::undecodable,
                ChangeAuditFollowerTest::undecodable, ChangeAuditFollowerTest::undecodable, published -> {
                    throw new IllegalStateException("no rule set expected");
                });
        consumer.assign(List.of(LISTS_0));
        consumer.updateBeginningOffsets(Map.of(LISTS_0, 0L));
        consumer.addRecord(new ConsumerRecord<>(LISTS_0.topic(), 0, 0, ENTRY_KEY, null));

        // When
        follower.pollOnce();

        // Then nothing is committed and the change is read again
        assertThat(committed()).isNull();
        assertThat(consumer.position(LISTS_0)).isZero();
        assertThat(producer.history()).isEmpty();

        // When it comes again and the write succeeds
        consumer.addRecord(new ConsumerRecord<>(LISTS_0.topic(), 0, 0, ENTRY_KEY, null));
        follower.pollOnce();

        // Then it is audited once and committed past
        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.AUDIT_RISK.name());
            assertThat(record.value().getAction()).isEqualTo("list.entry.removed");
        });
        assertThat(committed()).isEqualTo(1L);
        assertThat(follower.failure()).isNotDone();
    }

    private Long committed() {
        OffsetAndMetadata committed = consumer.committed(Set.of(LISTS_0)).get(LISTS_0);
        return committed == null ? null : committed.offset();
    }

    private static <T> T undecodable(String topic, byte[] data) {
        throw new SerializationException("not expected");
    }
}
