package dev.ngao.schemas.serde;

import dev.ngao.events.Money;
import dev.ngao.events.RiskDecision;
import dev.ngao.schemas.SampleEvents;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.registry.SchemaRegistries;
import dev.ngao.schemas.registry.SchemaRegistryClient;
import dev.ngao.schemas.registry.SchemaRegistryConfig;
import dev.ngao.schemas.registry.SchemaRegistryException;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroSerdeTest {

    private static final String TOPIC = Topics.RISK_DECISIONS.name();

    private final String scope = "avro-serde-test-" + UUID.randomUUID();
    private final SchemaRegistryClient registry = SchemaRegistries.create(new SchemaRegistryConfig(
            Map.of(SchemaRegistryConfig.SCHEMA_REGISTRY_URL, SchemaRegistryConfig.MOCK_PREFIX + scope)));
    private final AvroSerde<RiskDecision> serde = AvroSerde.forValues(registry, RiskDecision.class, true);

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void shouldRoundTripEventWhenRegistryIsMock() {
        // Given a decision with every field set
        RiskDecision decision = SampleEvents.riskDecision();

        // When it is serialised and deserialised
        byte[] bytes = serde.serializer().serialize(TOPIC, decision);
        RiskDecision decoded = serde.deserializer().deserialize(TOPIC, bytes);

        // Then the bytes carry magic byte 0 and the id registered under <topic>-value, and the event survives
        int registeredId = registry.idOf(Topics.RISK_DECISIONS.valueSubject(), RiskDecision.getClassSchema());
        assertThat(bytes[0]).isEqualTo(AvroSerde.MAGIC_BYTE);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
        assertThat(decoded).isEqualTo(decision);
    }

    @Test
    void shouldRegisterUnderKeySubjectWhenSerdeIsForKeys() {
        // Given a key serde
        AvroSerde<Money> keySerde = new AvroSerde<>(registry, Money.class, true, true);

        // When a key is serialised
        keySerde.serialize("test.money-keys", Money.newBuilder().setAmountMinor(500L).setCurrency("UGX").build());

        // Then its schema went to <topic>-key, as Confluent's TopicNameStrategy names it
        assertThat(registry.latest("test.money-keys-key")).isPresent();
        assertThat(registry.latest("test.money-keys-value")).isEmpty();
    }

    @Test
    void shouldPassNullThroughWhenRecordIsNull() {
        // Given a null record (a tombstone) and null bytes
        // When they are serialised and deserialised
        // Then they stay null, so compacted topics can delete keys
        assertThat(serde.serialize(TOPIC, null)).isNull();
        assertThat(serde.deserialize(TOPIC, null)).isNull();
    }

    @Test
    void shouldRefuseBytesWhenMagicByteIsWrong() {
        // Given valid bytes whose first byte is not Confluent's magic byte
        byte[] bytes = serde.serialize(TOPIC, SampleEvents.riskDecision());
        bytes[0] = 1;

        // When they are deserialised
        // Then they are refused as not being Confluent's wire format
        assertThatThrownBy(() -> serde.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte")
                .hasMessageContaining(TOPIC);
    }

    @Test
    void shouldRefuseBytesWhenShorterThanHeader() {
        // Given three bytes, too short for magic byte and schema id
        byte[] bytes = {0, 0, 0};

        // When they are deserialised
        // Then they are refused
        assertThatThrownBy(() -> serde.deserialize(TOPIC, bytes)).isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldRefuseBytesWhenSchemaIdIsUnknown() {
        // Given bytes naming a schema id the registry never issued
        byte[] bytes = ByteBuffer.allocate(6).put(AvroSerde.MAGIC_BYTE).putInt(424_242).put((byte) 0).array();

        // When they are deserialised
        // Then the failure names the id, with the registry's answer as cause
        assertThatThrownBy(() -> serde.deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 424242")
                .hasCauseInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void shouldFailClearlyWhenAutoRegisterIsOffAndSchemaIsUnregistered() {
        // Given a serde that must not register, and a registry that never saw the schema
        AvroSerde<RiskDecision> strict = AvroSerde.forValues(registry, RiskDecision.class, false);

        // When a decision is serialised
        // Then the failure says which subject lacks the schema, and nothing was registered behind our back
        assertThatThrownBy(() -> strict.serialize(TOPIC, SampleEvents.riskDecision()))
                .isInstanceOf(SerializationException.class)
                .cause()
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining(Topics.RISK_DECISIONS.valueSubject())
                .extracting(error -> ((SchemaRegistryException) error).errorCode())
                .isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
        assertThat(registry.latest(Topics.RISK_DECISIONS.valueSubject())).isEmpty();
    }

    @Test
    void shouldUseRegisteredIdWhenAutoRegisterIsOffAndSchemaWasRegistered() {
        // Given the schema registered ahead of time (as a deployment step would)
        int id = registry.register(Topics.RISK_DECISIONS.valueSubject(), RiskDecision.getClassSchema());
        AvroSerde<RiskDecision> strict = AvroSerde.forValues(registry, RiskDecision.class, false);

        // When a decision is serialised
        byte[] bytes = strict.serialize(TOPIC, SampleEvents.riskDecision());

        // Then the existing id is used
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }
}
