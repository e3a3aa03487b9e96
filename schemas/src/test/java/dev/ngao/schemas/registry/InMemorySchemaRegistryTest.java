package dev.ngao.schemas.registry;

import dev.ngao.schemas.SampleEvents;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemorySchemaRegistryTest {

    private final String scope = "in-memory-test-" + UUID.randomUUID();
    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(scope);
    private final String recordName = "Probe" + UUID.randomUUID().toString().replace("-", "");
    private final String subject = "test." + recordName + "-value";

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Test
    void shouldAddVersionWhenCompatibleSchemaIsRegistered() {
        // Given version 1 of a subject
        int id1 = registry.register(subject, SampleEvents.probeVersion1(recordName));

        // When a compatible version 2 is registered
        Schema version2 = SampleEvents.probeCompatibleVersion2(recordName);
        int id2 = registry.register(subject, version2);

        // Then it is version 2 with an id of its own
        assertThat(id2).isNotEqualTo(id1);
        assertThat(registry.latest(subject)).hasValue(new RegisteredSchema(subject, 2, id2, version2));
    }

    @Test
    void shouldReturnSameIdWhenSameSchemaIsRegisteredTwice() {
        // Given a registered schema
        Schema schema = SampleEvents.probeVersion1(recordName);
        int first = registry.register(subject, schema);

        // When it is registered again
        int second = registry.register(subject, schema);

        // Then nothing changes
        assertThat(second).isEqualTo(first);
        assertThat(registry.latest(subject)).hasValueSatisfying(latest -> assertThat(latest.version()).isEqualTo(1));
    }

    @Test
    void shouldShareIdWhenSameSchemaIsRegisteredUnderAnotherSubject() {
        // Given a schema registered under one subject
        Schema schema = SampleEvents.probeVersion1(recordName);
        int id = registry.register(subject, schema);

        // When it is registered under another
        int other = registry.register(subject + "-copy", schema);

        // Then ids are global, as in Confluent's registry
        assertThat(other).isEqualTo(id);
    }

    @Test
    void shouldRefuseRegistrationWhenSchemaIsIncompatible() {
        // Given version 1 of a subject
        registry.register(subject, SampleEvents.probeVersion1(recordName));
        Schema incompatible = SampleEvents.probeIncompatibleVersion2(recordName);

        // When a version with a new field without default is registered
        // Then it is refused with Confluent's 409, and isCompatible agrees
        assertThatThrownBy(() -> registry.register(subject, incompatible))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("note")
                .extracting(error -> ((SchemaRegistryException) error).errorCode())
                .isEqualTo(SchemaRegistryException.INCOMPATIBLE);
        assertThat(registry.isCompatible(subject, incompatible)).isFalse();
        assertThat(registry.latest(subject)).hasValueSatisfying(latest -> assertThat(latest.version()).isEqualTo(1));
    }

    @Test
    void shouldShareRegistrationsWhenScopeIsTheSame() {
        // Given a schema registered in a scope
        int id = registry.register(subject, SampleEvents.probeVersion1(recordName));

        // When the scope is asked for again (another serde, same test)
        // Then it is the same registry
        assertThat(InMemorySchemaRegistry.scope(scope).idOf(subject, SampleEvents.probeVersion1(recordName)))
                .isEqualTo(id);
    }
}
