package dev.ngao.schemas.registry;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaRegistriesTest {

    @Test
    void shouldCreateInMemoryRegistryWhenUrlIsMock() {
        // Given a mock:// URL
        SchemaRegistryConfig config = config("mock://registries-test");

        // When a registry is created
        try (SchemaRegistryClient registry = SchemaRegistries.create(config)) {
            // Then it is the scope's in-memory registry
            assertThat(registry).isSameAs(InMemorySchemaRegistry.scope("registries-test"));
        } finally {
            InMemorySchemaRegistry.dropScope("registries-test");
        }
    }

    @Test
    void shouldCreateRestClientWhenUrlIsHttp() {
        // Given two https registry URLs
        SchemaRegistryConfig config = config("https://registry-a.example:8081,https://registry-b.example:8081");

        // When a registry is created
        try (SchemaRegistryClient registry = SchemaRegistries.create(config)) {
            // Then it speaks the REST API (nothing is called yet)
            assertThat(registry).isInstanceOf(RestSchemaRegistryClient.class);
        }
    }

    @Test
    void shouldRefuseConfigurationWhenUrlIsNotUnderstood() {
        // Given a URL of no known kind, with a password in it
        SchemaRegistryConfig config = config("ftp://analyst:s3cret@registry.example");

        // When a registry is created
        // Then the key is named, and the value (which might hold a secret) is not repeated
        assertThatThrownBy(() -> SchemaRegistries.create(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(SchemaRegistryConfig.SCHEMA_REGISTRY_URL)
                .hasMessageNotContaining("s3cret");
    }

    private static SchemaRegistryConfig config(String url) {
        return new SchemaRegistryConfig(Map.of(SchemaRegistryConfig.SCHEMA_REGISTRY_URL, url));
    }
}
