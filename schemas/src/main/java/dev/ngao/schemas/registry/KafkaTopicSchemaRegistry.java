package dev.ngao.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded registry ({@code schema.registry.url=embedded}): registrations live as JSON records in the
 * compacted single-partition topic {@link Topics#SCHEMA_STORE}, so every process on one cluster reads the same
 * registrations in the same order and agrees on ids without a registry server.
 *
 * <p>Records follow Confluent's {@code _schemas} topic in spirit: key {@code {"subject","id"}}, value
 * {@code {"subject","id","schema","registeredAt"}}. A subject's versions are the order in which its schemas
 * first appear in the log. Ids are deterministic from the schema text ({@link SchemaCatalog#deterministicId}),
 * so two processes registering the same schema at once write the same record and end up agreeing.
 *
 * <p>Two processes registering <em>different</em> schemas under one subject at the same moment are not
 * serialised against each other: both are checked against the version each saw last. Schemas change at
 * deploy time, one service at a time, so this is accepted rather than paid for with a leader election.
 *
 * <p>Every method is synchronised: the consumer that follows the topic is not thread-safe.
 */
public final class KafkaTopicSchemaRegistry implements SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopicSchemaRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Topic<String, String> STORE = Topics.SCHEMA_STORE;
    private static final TopicPartition PARTITION = new TopicPartition(STORE.name(), 0);
    /** Short polls keep a catch-up responsive; the request timeout bounds the whole of it. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /** Distinguishes the clients of several registries in one JVM (client ids name their metrics). */
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final SchemaCatalog catalog = new SchemaCatalog();
    private final Duration timeout;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private long registrationsRead;

    public KafkaTopicSchemaRegistry(SchemaRegistryConfig config) {
        String bootstrapServers = config.getString(SchemaRegistryConfig.BOOTSTRAP_SERVERS);
        this.timeout = Duration.ofMillis(config.getInt(SchemaRegistryConfig.REQUEST_TIMEOUT_MS));
        String clientId = "ngao-schema-store-" + INSTANCES.incrementAndGet();
        Map<String, Object> security = clientSecurity(config.originals());
        createTopicIfMissing(withSecurity(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin"), security));
        this.consumer = new KafkaConsumer<>(withSecurity(consumerConfigs(bootstrapServers, clientId), security),
                new StringDeserializer(), new StringDeserializer());
        try {
            this.producer = new KafkaProducer<>(withSecurity(producerConfigs(bootstrapServers, clientId, timeout),
                    security), new StringSerializer(), new StringSerializer());
        } catch (RuntimeException e) {
            consumer.close(CloseOptions.timeout(timeout));
            throw e;
        }
        try {
            requireSinglePartition();
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            catchUp();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("Schema store {} loaded: {} registrations read", STORE.name(), registrationsRead);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        catchUp();
        Optional<Integer> existing = catalog.idUnderSubject(subject, schema);
        if (existing.isPresent()) {
            return existing.get();
        }
        catalog.requireCompatible(subject, schema);
        int id = idFor(schema);
        write(subject, id, schema);
        awaitRegistration(subject, schema);
        LOG.info("Registered schema id {} as version {} of subject {}", id,
                catalog.latest(subject).map(RegisteredSchema::version).orElse(0), subject);
        return id;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        Optional<Integer> id = catalog.idUnderSubject(subject, schema);
        if (id.isEmpty()) {
            // Another process may have registered it since we last read the store.
            catchUp();
            id = catalog.idUnderSubject(subject, schema);
        }
        return id.orElseThrow(() -> catalog.latest(subject).isEmpty()
                ? new SchemaRegistryException("Subject " + subject + " not found",
                        SchemaRegistryException.SUBJECT_NOT_FOUND)
                : new SchemaRegistryException("Schema not found under subject " + subject,
                        SchemaRegistryException.SCHEMA_NOT_FOUND));
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Optional<Schema> schema = catalog.schemaById(id);
        if (schema.isEmpty()) {
            catchUp();
            schema = catalog.schemaById(id);
        }
        return schema.orElseThrow(() -> new SchemaRegistryException("Schema " + id + " not found",
                SchemaRegistryException.SCHEMA_NOT_FOUND));
    }

    @Override
    public synchronized Optional<RegisteredSchema> latest(String subject) {
        catchUp();
        return catalog.latest(subject);
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        catchUp();
        return catalog.isCompatible(subject, schema);
    }

    @Override
    public synchronized void close() {
        producer.close(timeout);
        consumer.close(CloseOptions.timeout(timeout));
    }

    /** The schema's id: the one it already has under any subject, else its deterministic id. */
    private int idFor(Schema schema) {
        Optional<Integer> existing = catalog.idOfText(schema.toString());
        if (existing.isPresent()) {
            return existing.get();
        }
        int id = SchemaCatalog.deterministicId(schema);
        if (catalog.schemaById(id).isPresent()) {
            // A hash collision: reusing the id would make readers decode with the wrong schema.
            throw new IllegalStateException("Schema id " + id + " is already held by a different schema; "
                    + "refusing to register a second schema under it");
        }
        return id;
    }

    private void write(String subject, int id, Schema schema) {
        ObjectNode key = JSON.createObjectNode().put("subject", subject).put("id", id);
        ObjectNode value = key.deepCopy()
                .put("schema", schema.toString())
                .put("registeredAt", Instant.now().toEpochMilli());
        String failure = "Writing schema id " + id + " of subject " + subject + " to the schema store";
        try {
            // Partition 0 explicitly: the store must never be scattered, whatever the partitioner thinks.
            producer.send(new ProducerRecord<>(STORE.name(), PARTITION.partition(), key.toString(), value.toString()))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SchemaRegistryException(failure + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new SchemaRegistryException(failure + " was not acknowledged within " + timeout.toMillis()
                    + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(failure + " was interrupted", e);
        }
    }

    /** Reads until our own registration is back from the log, so the answer reflects the log's order. */
    private void awaitRegistration(String subject, Schema schema) {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        catchUp();
        while (catalog.idUnderSubject(subject, schema).isEmpty()) {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new SchemaRegistryException("Registration under subject " + subject
                        + " was acknowledged but not read back within " + timeout.toMillis() + " ms", 0);
            }
            catchUp();
        }
    }

    /**
     * Applies every registration from the consumer's position up to the partition's end as of now, on the
     * caller's thread. It is the one Kafka read of the project not on platform's {@code ConsumerLoop}: platform
     * depends on schemas (its serdes and topics), so schemas cannot use it; and it is no follower, only a bounded
     * read to the end under the registry's lock, one partition, nothing committed.
     */
    private void catchUp() {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        // With read_committed this is the last stable offset, which the consumer's position can reach.
        long endOffset = consumer.endOffsets(List.of(PARTITION), timeout).get(PARTITION);
        while (consumer.position(PARTITION, timeout) < endOffset) {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new SchemaRegistryException("Schema store " + STORE.name() + " not read up to offset "
                        + endOffset + " within " + timeout.toMillis() + " ms", 0);
            }
            for (ConsumerRecord<String, String> record : consumer.poll(POLL_INTERVAL)) {
                apply(record);
            }
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            // Ngao never deletes schemas: records already on topics must stay readable by their id.
            LOG.warn("Ignoring a tombstone at offset {} of schema store {}", record.offset(), STORE.name());
            return;
        }
        JsonNode value = parseRegistration(record);
        String subject = value.path("subject").textValue();
        Schema schema;
        try {
            schema = new Schema.Parser().parse(value.path("schema").textValue());
        } catch (SchemaParseException e) {
            throw corrupted(record, "its schema is not valid Avro", e);
        }
        catalog.add(subject, value.path("id").intValue(), schema);
        registrationsRead++;
    }

    /** The store is written only by this class; a record it cannot read means something else wrote it. */
    private static JsonNode parseRegistration(ConsumerRecord<String, String> record) {
        JsonNode value;
        try {
            value = JSON.readTree(record.value());
        } catch (IOException e) {
            throw corrupted(record, "its value is not JSON", e);
        }
        if (value == null || !value.path("subject").isTextual() || !value.path("id").isInt()
                || !value.path("schema").isTextual()) {
            throw corrupted(record, "it lacks subject, id or schema", null);
        }
        return value;
    }

    private static IllegalStateException corrupted(ConsumerRecord<String, String> record, String reason,
                                                   Exception cause) {
        return new IllegalStateException("Schema store " + STORE.name() + " is corrupted at offset "
                + record.offset() + ": " + reason + "; refusing to go on", cause);
    }

    /** Registrations on a second partition would be read in no defined order; that would break versions. */
    private void requireSinglePartition() {
        List<PartitionInfo> partitions = consumer.partitionsFor(STORE.name(), timeout);
        if (partitions.size() != 1) {
            throw new IllegalStateException("Schema store topic " + STORE.name() + " has " + partitions.size()
                    + " partitions; it must have exactly one");
        }
    }

    /**
     * The Kafka client security settings among the registry's settings ({@code security.*}, {@code sasl.*},
     * {@code ssl.*}, as the service's own clients have them): the store's clients connect as the service does.
     */
    static Map<String, Object> clientSecurity(Map<String, ?> originals) {
        Map<String, Object> security = new HashMap<>();
        originals.forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                security.put(key, value);
            }
        });
        return security;
    }

    static Map<String, Object> withSecurity(Map<String, Object> configs, Map<String, Object> security) {
        Map<String, Object> all = new HashMap<>(configs);
        all.putAll(security);
        return all;
    }

    private void createTopicIfMissing(Map<String, Object> adminConfigs) {
        // Replication factor left to the broker default, so one topic definition suits a single-broker
        // development cluster and a production one alike.
        NewTopic topic = new NewTopic(STORE.name(), Optional.of(STORE.partitions()), Optional.empty())
                .configs(STORE.kafkaConfigs());
        try (Admin admin = Admin.create(adminConfigs)) {
            admin.createTopics(List.of(topic), new CreateTopicsOptions().timeoutMs((int) timeout.toMillis()))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Created schema store topic {}", STORE.name());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                LOG.debug("Schema store topic {} already exists", STORE.name());
                return;
            }
            throw new SchemaRegistryException("Could not create schema store topic " + STORE.name(), e.getCause());
        } catch (TimeoutException e) {
            throw new SchemaRegistryException("Could not create schema store topic " + STORE.name() + " within "
                    + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while creating schema store topic " + STORE.name(), e);
        }
    }

    private static Map<String, Object> consumerConfigs(String bootstrapServers, String clientId) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-reader",
                // Never read a registration whose write might still be aborted.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // No group: every process reads the whole store itself and keeps no committed position.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    }

    private static Map<String, Object> producerConfigs(String bootstrapServers, String clientId, Duration timeout) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId + "-writer",
                // A registration acknowledged must survive a broker loss, and a retry must not duplicate it.
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // Registrations are rare and a caller waits on each: no batching delay.
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // send() waits for metadata before our own timeout starts; bound that wait the same way.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    }
}
