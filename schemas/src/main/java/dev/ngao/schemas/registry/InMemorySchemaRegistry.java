package dev.ngao.schemas.registry;

import org.apache.avro.Schema;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry held in this JVM only, for tests and the topology test driver ({@code mock://<scope>},
 * as Confluent's serializers understand it). Registries of one scope are shared.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private static final ConcurrentHashMap<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final SchemaCatalog catalog = new SchemaCatalog();

    /** The shared registry of {@code scope}. */
    public static InMemorySchemaRegistry scope(String scope) {
        return SCOPES.computeIfAbsent(scope, ignored -> new InMemorySchemaRegistry());
    }

    /** Forgets a scope, so the next {@link #scope(String)} starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Optional<Integer> existing = catalog.idUnderSubject(subject, schema);
        if (existing.isPresent()) {
            return existing.get();
        }
        catalog.requireCompatible(subject, schema);
        int id = catalog.idOfText(schema.toString()).orElseGet(() -> SchemaCatalog.deterministicId(schema));
        catalog.add(subject, id, schema);
        return id;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        return catalog.idUnderSubject(subject, schema).orElseThrow(() -> new SchemaRegistryException(
                "Schema not found under subject " + subject, SchemaRegistryException.SCHEMA_NOT_FOUND));
    }

    @Override
    public synchronized Schema schemaById(int id) {
        return catalog.schemaById(id).orElseThrow(() -> new SchemaRegistryException(
                "Schema " + id + " not found", SchemaRegistryException.SCHEMA_NOT_FOUND));
    }

    @Override
    public synchronized Optional<RegisteredSchema> latest(String subject) {
        return catalog.latest(subject);
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return catalog.isCompatible(subject, schema);
    }

    @Override
    public void close() {
        // Nothing to release: the scope outlives any one user.
    }
}
