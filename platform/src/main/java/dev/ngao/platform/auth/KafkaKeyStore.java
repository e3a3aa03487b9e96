package dev.ngao.platform.auth;

import dev.ngao.events.ApiKeyRecord;
import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * API keys on the compacted topic {@code ingest.api-keys}, so they survive restarts and every service
 * that verifies signed requests (the ingest door, the ledger, risk-streams, the reconciler, the notifier)
 * sees the same keys: a revocation or rotation made by ingest's key administration anywhere reaches every
 * API within a poll. {@link #start()} reads the topic to its end before returning, so no API serves with a
 * partial key set; a background thread then follows new records.
 *
 * <p>Secrets are on the topic only encrypted ({@link SecretCipher}); they are decrypted into memory,
 * where the verifier needs them. A record that does not decrypt under the configured master key leaves
 * its key out (refused, fail closed) and is logged by key id.
 */
public final class KafkaKeyStore implements KeyStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaKeyStore.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
    private static final long SAVE_TIMEOUT_SECONDS = 30;
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaContext kafka;
    private final SecretCipher cipher;
    private final String clientId;
    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();
    private KafkaConsumer<String, ApiKeyRecord> consumer;
    private KafkaProducer<String, ApiKeyRecord> producer;
    /** Set once the key set is read to the end and the loop follows the topic on its own thread. */
    private ConsumerLoop loop;

    public KafkaKeyStore(KafkaContext kafka, SecretCipher cipher, String clientId) {
        this.kafka = kafka;
        this.cipher = cipher;
        this.clientId = clientId;
    }

    /** Creates the topic when configured to, reads it to the end, then follows it. */
    public synchronized KafkaKeyStore start() throws TimeoutException {
        kafka.ensureTopics(List.of(Topics.API_KEYS), clientId);
        consumer = kafka.consumer(Topics.API_KEYS, clientId + "-keys", null);
        List<TopicPartition> partitions = partitions();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        // Nothing committed: every start reads the compacted topic whole. A failing poll (the broker away, an
        // authorization not yet granted) is retried: the keys already read keep serving meanwhile.
        ConsumerLoop follower = ConsumerLoop.builder(clientId + "-keys")
                .pollTimeout(POLL_TIMEOUT)
                .source(consumer, ConsumerLoop.eachRecord(record -> apply(record.key(), record.value())),
                        ConsumerLoop.Commit.NONE, ConsumerLoop.Undecodable.SKIP)
                .retryAfter(RETRY_BACKOFF, RuntimeException.class)
                .closeConsumers(CLOSE_TIMEOUT)
                .build();
        catchUp(follower, partitions);
        loop = follower.start();
        LOG.info("Key store {} loaded: {} keys", Topics.API_KEYS.name(), keys.size());
        return this;
    }

    /**
     * The topic's partitions; a topic created a moment ago may not be in the metadata yet (no partitions),
     * so this asks again until it is, within the catch-up timeout.
     */
    private List<TopicPartition> partitions() throws TimeoutException {
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.API_KEYS.name(), CATCH_UP_TIMEOUT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            if (!partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no partition of " + Topics.API_KEYS.name() + " is known within "
                        + CATCH_UP_TIMEOUT.toSeconds() + " s");
            }
            sleepBeforeRetry();
            if (Thread.currentThread().isInterrupted()) {
                throw new TimeoutException("interrupted while waiting for " + Topics.API_KEYS.name());
            }
        }
    }

    /** Reads on the calling thread, before the loop's own thread starts, so no API serves with a partial key set. */
    private void catchUp(ConsumerLoop follower, List<TopicPartition> partitions) throws TimeoutException {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, CATCH_UP_TIMEOUT);
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("key store did not read " + Topics.API_KEYS.name() + " to its end within "
                        + CATCH_UP_TIMEOUT.toSeconds() + " s");
            }
            follower.pollOnce();
        }
    }

    private void apply(String keyId, ApiKeyRecord record) {
        if (keyId == null) {
            return;
        }
        if (record == null) {
            keys.remove(keyId);
            return;
        }
        try {
            keys.put(keyId, KeyRecords.fromRecord(record, cipher));
        } catch (IllegalArgumentException e) {
            // Fail closed: a key whose secrets cannot be read is no key at all.
            keys.remove(keyId);
            LOG.error("Key {} left out: {}", keyId, e.getMessage());
        }
    }

    private void sleepBeforeRetry() {
        try {
            Thread.sleep(RETRY_BACKOFF.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Optional<ApiKey> find(String keyId) {
        return keyId == null ? Optional.empty() : Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public List<ApiKey> all() {
        return keys.values().stream().sorted(Comparator.comparing(ApiKey::keyId)).toList();
    }

    /** Writes the key (secrets encrypted) and waits for Kafka's acknowledgement; then this store serves it. */
    @Override
    public void save(ApiKey key) {
        ApiKeyRecord record = KeyRecords.toRecord(key, cipher);
        try {
            producer().send(new ProducerRecord<>(Topics.API_KEYS.name(), key.keyId(), record))
                    .get(SAVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while saving key " + key.keyId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot save key " + key.keyId() + ": " + e, e);
        }
        keys.put(key.keyId(), key);
        LOG.info("Saved key {} of merchant {}", key.keyId(), key.merchantId());
    }

    private synchronized KafkaProducer<String, ApiKeyRecord> producer() {
        if (producer == null) {
            producer = kafka.producer(Topics.API_KEYS, clientId + "-keys-writer");
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.close(STOP_TIMEOUT);
        } else if (consumer != null) {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
