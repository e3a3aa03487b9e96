package dev.ngao.schemas.registry;

import dev.ngao.events.RiskDecision;
import dev.ngao.schemas.SampleEvents;
import dev.ngao.schemas.serde.AvroSerde;
import dev.ngao.schemas.topics.Topics;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded registry against a real in-process KRaft broker. Two registry instances stand for two
 * processes on one cluster: they share nothing but the topic. Every test uses subjects of its own.
 */
class KafkaTopicSchemaRegistryIT {

    private static KafkaClusterTestKit cluster;

    private KafkaTopicSchemaRegistry firstProcess;
    private KafkaTopicSchemaRegistry secondProcess;
    private String recordName;
    private String subject;

    @BeforeAll
    static void startBroker() throws Exception {
        // Combined mode: one node is both controller and broker, the smallest real cluster.
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build())
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void startRegistries() {
        firstProcess = newProcess();
        secondProcess = newProcess();
        recordName = "Probe" + UUID.randomUUID().toString().replace("-", "");
        subject = "test." + recordName + "-value";
    }

    @AfterEach
    void closeRegistries() {
        firstProcess.close();
        secondProcess.close();
    }

    @Test
    void shouldCreateCompactedSinglePartitionTopicWhenMissing() throws Exception {
        // Given registries started against the cluster (the first one created the store)
        // When the store topic is described
        try (Admin admin = cluster.admin()) {
            TopicDescription description = admin.describeTopics(List.of(Topics.SCHEMA_STORE.name()))
                    .allTopicNames().get().get(Topics.SCHEMA_STORE.name());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.SCHEMA_STORE.name());
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);

            // Then it has one partition, is compacted and keeps registrations forever
            assertThat(description.partitions()).hasSize(1);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("retention.ms").value()).isEqualTo("-1");
        }
    }

    @Test
    void shouldAgreeOnIdWhenAnotherProcessRegistered() {
        // Given a schema registered by the first process
        Schema schema = SampleEvents.probeVersion1(recordName);
        int id = firstProcess.register(subject, schema);

        // When the second process looks it up by subject and by id
        int seenBySecond = secondProcess.idOf(subject, schema);
        Schema fetchedBySecond = secondProcess.schemaById(id);

        // Then both processes agree
        assertThat(seenBySecond).isEqualTo(id);
        assertThat(fetchedBySecond).isEqualTo(schema);
        assertThat(secondProcess.latest(subject)).hasValue(new RegisteredSchema(subject, 1, id, schema));
    }

    @Test
    void shouldKeepOneVersionWhenSameSchemaIsRegisteredTwice() {
        // Given a schema registered by the first process
        Schema schema = SampleEvents.probeVersion1(recordName);
        int first = firstProcess.register(subject, schema);

        // When both processes register it again
        int againByFirst = firstProcess.register(subject, schema);
        int bySecond = secondProcess.register(subject, schema);

        // Then it stays one version with one id
        assertThat(againByFirst).isEqualTo(first);
        assertThat(bySecond).isEqualTo(first);
        assertThat(firstProcess.latest(subject)).hasValueSatisfying(latest -> assertThat(latest.version()).isEqualTo(1));
        assertThat(secondProcess.latest(subject)).hasValueSatisfying(latest -> assertThat(latest.version()).isEqualTo(1));
    }

    @Test
    void shouldRoundTripEventWhenReaderIsAnotherProcess() {
        // Given a writer serde on the first process and a reader serde on the second
        String topic = "test.decisions-" + UUID.randomUUID();
        AvroSerde<RiskDecision> writer = AvroSerde.forValues(firstProcess, RiskDecision.class, true);
        AvroSerde<RiskDecision> reader = AvroSerde.forValues(secondProcess, RiskDecision.class, false);
        RiskDecision decision = SampleEvents.riskDecision();

        // When a decision is serialised by one and deserialised by the other
        byte[] bytes = writer.serialize(topic, decision);
        RiskDecision decoded = reader.deserialize(topic, bytes);

        // Then the id in the bytes is the one both processes know, and the event survives
        int registeredId = secondProcess.idOf(topic + "-value", RiskDecision.getClassSchema());
        assertThat(bytes[0]).isEqualTo(AvroSerde.MAGIC_BYTE);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
        assertThat(decoded).isEqualTo(decision);
    }

    @Test
    void shouldRefuseRegistrationWhenSchemaIsIncompatible() {
        // Given version 1 registered by the first process
        firstProcess.register(subject, SampleEvents.probeVersion1(recordName));
        Schema incompatible = SampleEvents.probeIncompatibleVersion2(recordName);

        // When the second process registers a version whose new field has no default
        // Then it is refused with Confluent's 409, and a compatible version 2 is still accepted after it
        assertThat(secondProcess.isCompatible(subject, incompatible)).isFalse();
        assertThatThrownBy(() -> secondProcess.register(subject, incompatible))
                .isInstanceOf(SchemaRegistryException.class)
                .extracting(error -> ((SchemaRegistryException) error).errorCode())
                .isEqualTo(SchemaRegistryException.INCOMPATIBLE);
        Schema compatible = SampleEvents.probeCompatibleVersion2(recordName);
        int id2 = secondProcess.register(subject, compatible);
        assertThat(firstProcess.latest(subject)).hasValue(new RegisteredSchema(subject, 2, id2, compatible));
    }

    @Test
    void shouldLoadRegistrationsWhenCreatedAfterThem() {
        // Given two versions registered, one by each running process
        int id1 = firstProcess.register(subject, SampleEvents.probeVersion1(recordName));
        int id2 = secondProcess.register(subject, SampleEvents.probeCompatibleVersion2(recordName));

        // When a registry starts afterwards, through the factory as a service would build it
        try (SchemaRegistryClient lateProcess = SchemaRegistries.create(embeddedConfig())) {
            // Then it read both versions from the topic, in their order
            assertThat(lateProcess).isInstanceOf(KafkaTopicSchemaRegistry.class);
            assertThat(lateProcess.schemaById(id1)).isEqualTo(SampleEvents.probeVersion1(recordName));
            assertThat(lateProcess.latest(subject)).hasValueSatisfying(latest -> {
                assertThat(latest.version()).isEqualTo(2);
                assertThat(latest.id()).isEqualTo(id2);
            });
        }
    }

    @Test
    void shouldThrowSchemaNotFoundWhenSchemaWasNeverRegistered() {
        // Given version 1 of a subject
        firstProcess.register(subject, SampleEvents.probeVersion1(recordName));

        // When another process asks for a schema and an id nobody registered
        // Then it learns they are unknown
        assertThatThrownBy(() -> secondProcess.idOf(subject, SampleEvents.probeCompatibleVersion2(recordName)))
                .isInstanceOf(SchemaRegistryException.class)
                .extracting(error -> ((SchemaRegistryException) error).errorCode())
                .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
        assertThatThrownBy(() -> secondProcess.schemaById(SchemaCatalog.deterministicId(
                SampleEvents.probeCompatibleVersion2(recordName))))
                .isInstanceOf(SchemaRegistryException.class)
                .extracting(error -> ((SchemaRegistryException) error).errorCode())
                .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
    }

    private static KafkaTopicSchemaRegistry newProcess() {
        return new KafkaTopicSchemaRegistry(embeddedConfig());
    }

    private static SchemaRegistryConfig embeddedConfig() {
        return new SchemaRegistryConfig(Map.of(
                SchemaRegistryConfig.SCHEMA_REGISTRY_URL, SchemaRegistryConfig.EMBEDDED,
                SchemaRegistryConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
                SchemaRegistryConfig.REQUEST_TIMEOUT_MS, 15_000));
    }
}
