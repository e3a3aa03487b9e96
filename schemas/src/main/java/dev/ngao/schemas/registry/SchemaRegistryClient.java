package dev.ngao.schemas.registry;

import org.apache.avro.Schema;

import java.io.Closeable;
import java.util.Optional;

/**
 * What Ngao needs of a schema registry, in the terms of Confluent's Schema Registry API.
 * Ids are global: the same schema text has the same id under every subject.
 * Implementations: {@link InMemorySchemaRegistry} ({@code mock://}), {@link RestSchemaRegistryClient}
 * ({@code http(s)://}, any Confluent-compatible registry) and {@link KafkaTopicSchemaRegistry}
 * ({@code embedded}, a compacted topic on the cluster itself).
 */
public interface SchemaRegistryClient extends Closeable {

    /**
     * Registers {@code schema} under {@code subject} and returns its id; registering a schema already
     * there returns the existing id. Refused with {@link SchemaRegistryException} when the schema is not
     * BACKWARD compatible with the subject's latest version.
     */
    int register(String subject, Schema schema);

    /** The id of {@code schema} under {@code subject}; {@link SchemaRegistryException} when not registered. */
    int idOf(String subject, Schema schema);

    /** The schema with this id; {@link SchemaRegistryException} when unknown. */
    Schema schemaById(int id);

    /** The latest version registered under {@code subject}, if any. */
    Optional<RegisteredSchema> latest(String subject);

    /** Whether {@code schema} may be registered under {@code subject} (BACKWARD against the latest version). */
    boolean isCompatible(String subject, Schema schema);

    @Override
    void close();
}
