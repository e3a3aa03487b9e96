package dev.ngao.schemas.registry;

import org.apache.avro.Schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bookkeeping shared by the registries that keep schemas themselves (in memory, or in a Kafka
 * topic): subjects with ordered versions, and global ids. Not thread-safe; callers synchronise.
 */
final class SchemaCatalog {

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByText = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();

    /** Deterministic id from the schema text, so separate processes agree without coordination. */
    static int deterministicId(Schema schema) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(schema.toString().getBytes(StandardCharsets.UTF_8));
            int id = ((digest[0] & 0x7f) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8)
                    | (digest[3] & 0xff);
            return id == 0 ? 1 : id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    Optional<Integer> idOfText(String schemaText) {
        return Optional.ofNullable(idsByText.get(schemaText));
    }

    Optional<Integer> idUnderSubject(String subject, Schema schema) {
        Integer id = idsByText.get(schema.toString());
        if (id == null || !versionsBySubject.getOrDefault(subject, List.of()).contains(id)) {
            return Optional.empty();
        }
        return Optional.of(id);
    }

    Optional<Schema> schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    Optional<RegisteredSchema> latest(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        int id = versions.get(versions.size() - 1);
        return Optional.of(new RegisteredSchema(subject, versions.size(), id, schemasById.get(id)));
    }

    boolean isCompatible(String subject, Schema schema) {
        return latest(subject).map(latest -> Compatibility.isBackwardCompatible(schema, latest.schema())).orElse(true);
    }

    /** Throws unless {@code schema} may become the next version of {@code subject}. */
    void requireCompatible(String subject, Schema schema) {
        Optional<RegisteredSchema> latest = latest(subject);
        if (latest.isPresent() && !Compatibility.isBackwardCompatible(schema, latest.get().schema())) {
            throw new SchemaRegistryException("Schema being registered is incompatible with version "
                    + latest.get().version() + " of subject " + subject + ": "
                    + Compatibility.incompatibilities(schema, latest.get().schema()),
                    SchemaRegistryException.INCOMPATIBLE);
        }
    }

    /**
     * Records a registration. Idempotent: a schema already under the subject adds no version.
     * Two different schemas claiming one id is a corrupted store and stops the caller.
     */
    void add(String subject, int id, Schema schema) {
        Schema existing = schemasById.get(id);
        if (existing != null && !existing.toString().equals(schema.toString())) {
            throw new IllegalStateException("Schema id " + id + " claimed by two different schemas; refusing to go on");
        }
        schemasById.put(id, schema);
        idsByText.put(schema.toString(), id);
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, ignored -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
    }
}
