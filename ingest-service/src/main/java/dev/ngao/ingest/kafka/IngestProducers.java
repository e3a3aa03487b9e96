package dev.ngao.ingest.kafka;

import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topic;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * The one Kafka producer of an ingest process (acks=all, idempotent, as {@link KafkaClients#producer} says),
 * shared by every topic it writes through typed views ({@link #forTopic}). One producer instead of one per
 * topic: the claims and events of concurrent requests travel in the same produce requests to the broker,
 * over one connection and one sender thread, which on a small machine is worth more than isolating topics
 * from each other. (The audit trail keeps a producer of its own: it is written from its own thread and
 * queue, and must not take buffer space from the answers' writes.)
 *
 * <p>Records are handed over on the caller's thread, an event loop. So {@code max.block.ms} is short
 * ({@link #MAX_BLOCK_MS}): {@code send} blocks only while a topic's metadata is unknown or the buffer is
 * full, and a write that cannot be queued by then fails (the request gets 503) instead of stalling every
 * connection of the loop. {@link #forTopic} fetches the topic's metadata and resolves its schema id at start,
 * so neither happens on a request.
 *
 * <p>No compression ({@link #COMPRESSION}), whatever the deployment chose for its plain producers
 * ({@code kafka.producer.compression.type}, lz4 by default): a payment's claim is mostly
 * ciphertext (its sealed event), which does not compress, batches are small (linger 1 ms), and every new lz4
 * batch allocates its block buffers inside {@code send}, on the event loop; measured, lz4 was the largest
 * single cost of the hot path. The broker and every reader are spared the decompression too.
 */
public final class IngestProducers implements AutoCloseable {

    /** Longest a send may block the calling event loop; Vert.x warns about blocked loops from 2 s. */
    public static final long MAX_BLOCK_MS = 250;
    /** See the class comment: ciphertext and small batches do not repay lz4's cost on the event loop. */
    public static final String COMPRESSION = "none";

    private static final Logger LOG = LoggerFactory.getLogger(IngestProducers.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** How long the start waits for a topic's metadata, a {@link #MAX_BLOCK_MS} attempt at a time. */
    static final Duration START_METADATA_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaContext kafka;
    private final KafkaProducer<byte[], byte[]> shared;

    private IngestProducers(KafkaContext kafka, KafkaProducer<byte[], byte[]> shared) {
        this.kafka = kafka;
        this.shared = shared;
    }

    public static IngestProducers connect(KafkaContext kafka, String clientId) {
        Map<String, Object> config = KafkaClients.producer(kafka.settings(), clientId);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION);
        return new IngestProducers(kafka, new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /**
     * A producer of {@code topic}'s records on the shared one, after fetching the topic's metadata and its
     * schema id (a cluster that cannot answer fails the start rather than the first request). Closing the
     * view does nothing: {@link #close} closes the shared producer, once.
     */
    public <V> Producer<String, V> forTopic(Topic<String, V> topic) {
        awaitMetadata(topic.name());
        resolveSchema(topic);
        TopicSerdes<String, V> serdes = kafka.serdes(topic);
        return new TopicProducer<>(shared, serdes.keySerde().serializer(), serdes.valueSerde().serializer());
    }

    /**
     * Fetches the topic's metadata at start. One attempt blocks at most {@link #MAX_BLOCK_MS}, which a busy host
     * or a topic created a moment ago can need more than (seen in CI: "not present in metadata after 250 ms"), so
     * it is asked again until {@link #START_METADATA_TIMEOUT} has passed; only then does the start fail.
     */
    private void awaitMetadata(String topic) {
        long deadline = System.nanoTime() + START_METADATA_TIMEOUT.toNanos();
        while (true) {
            try {
                shared.partitionsFor(topic);
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LOG.debug("Metadata of {} not there yet: {}", topic, e.getMessage());
            }
        }
    }

    /** Registers (or looks up) the value schema now: the registry client keeps it, so sends find it in memory. */
    private void resolveSchema(Topic<String, ?> topic) {
        if (!SpecificRecord.class.isAssignableFrom(topic.valueType())) {
            return;
        }
        String subject = topic.name() + "-value";
        try {
            var schema = SpecificData.get().getSchema(topic.valueType());
            if (kafka.settings().schemaRegistryConfig().autoRegister()) {
                kafka.registry().register(subject, schema);
            } else {
                kafka.registry().idOf(subject, schema);
            }
        } catch (RuntimeException e) {
            // The first write resolves it, and fails as clearly if the registry still cannot.
            LOG.warn("Cannot resolve the schema of {} at start: {}", subject, e.toString());
        }
    }

    /**
     * A producer of its own for records nobody waits for (the audit trail): they gather for {@code linger}
     * before a batch goes, so hundreds share one compressed batch and one request to the broker instead of
     * paying for one each. Compressed as the deployment chose (lz4 by default): audit records are kept for
     * 400 days.
     */
    public static <V> KafkaProducer<String, V> lingering(KafkaContext kafka, Topic<String, V> topic, String clientId,
                                                        Duration linger) {
        Map<String, Object> config = KafkaClients.producer(kafka.settings(), clientId);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        TopicSerdes<String, V> serdes = kafka.serdes(topic);
        return new KafkaProducer<>(config, serdes.keySerde().serializer(), serdes.valueSerde().serializer());
    }

    /** The shared producer, to bind its metrics. */
    public Producer<byte[], byte[]> shared() {
        return shared;
    }

    /** Sends what is in flight (bounded), then closes. */
    @Override
    public void close() {
        shared.close(CLOSE_TIMEOUT);
    }

    /** Serializes with one topic's serdes and hands the bytes to the shared producer. */
    private static final class TopicProducer<K, V> implements Producer<K, V> {

        private final Producer<byte[], byte[]> shared;
        private final Serializer<K> keySerializer;
        private final Serializer<V> valueSerializer;

        private TopicProducer(Producer<byte[], byte[]> shared, Serializer<K> keySerializer,
                              Serializer<V> valueSerializer) {
            this.shared = shared;
            this.keySerializer = keySerializer;
            this.valueSerializer = valueSerializer;
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
            return send(record, null);
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
            // Serialized here, as a typed producer would: the partition comes from the key's bytes either way.
            byte[] key = keySerializer.serialize(record.topic(), record.headers(), record.key());
            byte[] value = valueSerializer.serialize(record.topic(), record.headers(), record.value());
            return shared.send(new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), key, value,
                    record.headers()), callback);
        }

        @Override
        public void flush() {
            shared.flush();
        }

        @Override
        public List<PartitionInfo> partitionsFor(String topic) {
            return shared.partitionsFor(topic);
        }

        @Override
        public Map<MetricName, ? extends Metric> metrics() {
            return shared.metrics();
        }

        @Override
        public Uuid clientInstanceId(Duration timeout) {
            return shared.clientInstanceId(timeout);
        }

        @Override
        public void registerMetricForSubscription(KafkaMetric metric) {
            shared.registerMetricForSubscription(metric);
        }

        @Override
        public void unregisterMetricFromSubscription(KafkaMetric metric) {
            shared.unregisterMetricFromSubscription(metric);
        }

        @Override
        public void close() {
            // Shared: closed once by IngestProducers.
        }

        @Override
        public void close(Duration timeout) {
            // Shared: closed once by IngestProducers.
        }

        @Override
        public void initTransactions() {
            throw notTransactional();
        }

        @Override
        public void beginTransaction() {
            throw notTransactional();
        }

        @Override
        public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
                                             ConsumerGroupMetadata groupMetadata) {
            throw notTransactional();
        }

        @Override
        public void commitTransaction() {
            throw notTransactional();
        }

        @Override
        public void abortTransaction() {
            throw notTransactional();
        }

        private static UnsupportedOperationException notTransactional() {
            return new UnsupportedOperationException("ingest's shared producer is idempotent, not transactional");
        }
    }
}
