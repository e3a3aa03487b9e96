package dev.ngao.rules;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one YAML loader of rule set documents, for files ({@link RuleSetFiles}) and for uploads through ingest's
 * API alike, so a document means the same wherever it comes from. SnakeYAML's {@link SafeConstructor} builds
 * standard types only (no arbitrary classes); the loader is bounded explicitly: alias expansion (the "billion
 * laughs"), nesting depth, document size, and duplicate keys, which would otherwise let the last one win
 * silently. Scalars follow the YAML 1.2 core schema ({@link Yaml12Scalars}), so {@code NO} (Norway) stays text.
 * What comes out is plain: maps with text keys, lists and scalars, as a JSON parser would give.
 */
public final class SafeYaml {

    public static final int MAXIMUM_ALIASES = 10;
    public static final int MAXIMUM_NESTING_DEPTH = 20;
    public static final int MAXIMUM_CODE_POINTS = 1 << 20;

    private SafeYaml() {
    }

    /**
     * The document's content, null for an empty document.
     *
     * @throws RuntimeException SnakeYAML's, or {@link IllegalArgumentException}: the document is malformed or
     *                          over a bound
     */
    public static Object load(String text) {
        return plain(yaml().load(text), 0);
    }

    /** As {@link #load(String)}, from bytes in UTF-8 or UTF-16 (told by their byte order mark). */
    public static Object load(InputStream document) {
        return plain(yaml().load(document), 0);
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAXIMUM_ALIASES);
        options.setNestingDepthLimit(MAXIMUM_NESTING_DEPTH);
        options.setCodePointLimit(MAXIMUM_CODE_POINTS);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        // Yaml instances are not thread-safe: one per document.
        return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new Yaml12Scalars());
    }

    /**
     * YAML 1.2 core schema scalars: booleans are only true and false, integers only decimal without a
     * leading zero, and no implicit timestamps or sexagesimal numbers, so that country codes, times of day
     * and category codes read as the text they look like.
     */
    static final class Yaml12Scalars extends Resolver {

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF", 10);
            addImplicitResolver(Tag.INT, Pattern.compile("^[-+]?(?:0|[1-9][0-9]*)$"), "-+0123456789", 32);
            addImplicitResolver(Tag.FLOAT, Pattern.compile(
                    "^[-+]?(?:\\.[0-9]+|(?:0|[1-9][0-9]*)(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"), "-+0123456789.", 64);
            addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
            addImplicitResolver(Tag.NULL, Pattern.compile("^(?:~|null|Null|NULL)$"), "~nN", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
            addImplicitResolver(Tag.YAML, YAML, "!&*", 10);
        }
    }

    /**
     * YAML allows keys of any type ({@code 1: x}); rule set fields are names, so every key becomes text. An
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
}
