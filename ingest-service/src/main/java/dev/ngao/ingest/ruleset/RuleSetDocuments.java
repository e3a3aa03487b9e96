package dev.ngao.ingest.ruleset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ngao.rules.SafeYaml;

import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Optional;

/**
 * Rule set documents in YAML, parsed into plain maps and lists like JSON bodies, and rule parameters written
 * back as JSON text. The loader is risk-rules' {@link SafeYaml}, the one rule set files are read with too
 * (bounded aliases, depth, size and duplicate keys; YAML 1.2 scalars), so an uploaded document means what the
 * same file means.
 */
public final class RuleSetDocuments {

    static final int MAXIMUM_ALIASES = SafeYaml.MAXIMUM_ALIASES;
    static final int MAXIMUM_NESTING_DEPTH = SafeYaml.MAXIMUM_NESTING_DEPTH;
    static final int MAXIMUM_CODE_POINTS = SafeYaml.MAXIMUM_CODE_POINTS;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleSetDocuments() {
    }

    /** The document as one object, or empty when it is not YAML or not a mapping at its top. */
    @SuppressWarnings("unchecked")
    public static Optional<Map<String, Object>> parseYaml(byte[] document) {
        try {
            Object parsed = SafeYaml.load(new ByteArrayInputStream(document));
            return parsed instanceof Map<?, ?> map ? Optional.of((Map<String, Object>) map) : Optional.empty();
        } catch (RuntimeException e) {
            // SnakeYAML reports syntax errors and its limits as unchecked exceptions; each is a malformed document.
            return Optional.empty();
        }
    }

    /** Plain values as JSON text. */
    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain values always encode", e);
        }
    }
}
