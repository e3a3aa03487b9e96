package dev.ngao.ingest.ruleset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rule set documents in YAML, parsed into plain maps and lists like JSON bodies, and rule parameters written
 * back as JSON text. SnakeYAML's {@link SafeConstructor} builds standard types only (no arbitrary classes),
 * and the loader is bounded explicitly: alias expansion (the "billion laughs"), nesting depth, document
 * size, and duplicate keys, which would otherwise let the last one win silently.
 */
public final class RuleSetDocuments {

    static final int MAXIMUM_ALIASES = 10;
    static final int MAXIMUM_NESTING_DEPTH = 20;
    static final int MAXIMUM_CODE_POINTS = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RuleSetDocuments() {
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAXIMUM_ALIASES);
        options.setNestingDepthLimit(MAXIMUM_NESTING_DEPTH);
        options.setCodePointLimit(MAXIMUM_CODE_POINTS);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    /** The document as one object, or empty when it is not YAML or not a mapping at its top. */
    @SuppressWarnings("unchecked")
    public static Optional<Map<String, Object>> parseYaml(byte[] document) {
        try {
            // Yaml instances are not thread-safe: one per document.
            Yaml yaml = new Yaml(new SafeConstructor(loaderOptions()));
            Object parsed = plain(yaml.load(new ByteArrayInputStream(document)), 0);
            return parsed instanceof Map<?, ?> map ? Optional.of((Map<String, Object>) map) : Optional.empty();
        } catch (RuntimeException e) {
            // SnakeYAML reports syntax errors and its limits as unchecked exceptions; each is a malformed document.
            return Optional.empty();
        }
    }

    /**
     * YAML allows keys of any type ({@code 1: x}); the validators read names, so every key becomes text. An
     * alias can make a collection contain itself ({@code &a [*a]}): the depth bound stops the copy there.
     */
    private static Object plain(Object value, int depth) {
        if (depth > MAXIMUM_NESTING_DEPTH) {
            throw new IllegalArgumentException("document nested deeper than " + MAXIMUM_NESTING_DEPTH);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), plain(item, depth + 1)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(plain(item, depth + 1)));
            return copy;
        }
        return value;
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
