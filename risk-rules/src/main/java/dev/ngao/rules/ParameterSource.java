package dev.ngao.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The bookkeeping under {@link ParameterReader}: one rule's parameters as a JSON object, the problems found so far
 * (each prefixed with the rule's id), and the names the rule's type asked for, so that {@link #finish()} can name
 * every other one as unknown. The typed readers are {@link ParameterReader}'s.
 */
abstract class ParameterSource {

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final int MAXIMUM_QUOTED = 40;

    private final String ruleId;
    private final String type;
    private final ObjectNode node;
    private final List<String> problems;
    private final int problemsBefore;
    private final Set<String> known = new LinkedHashSet<>();

    ParameterSource(String ruleId, String type, ObjectNode node, List<String> problems) {
        this.ruleId = ruleId;
        this.type = type;
        this.node = node;
        this.problems = problems;
        this.problemsBefore = problems.size();
    }

    /** Records a problem of the rule as a whole. */
    void problem(String message) {
        problems.add("rule '" + ruleId + "': " + message);
    }

    /** Records a problem of one parameter. */
    void refuse(String name, String message) {
        problem("parameter " + name + " " + message);
    }

    /** Whether nothing this reader read was refused. */
    boolean valid() {
        return problems.size() == problemsBefore;
    }

    boolean has(String name) {
        known.add(name);
        JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    /** The parameter's value, null when absent or null; the name is remembered as known. */
    JsonNode get(String name) {
        known.add(name);
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    void missing(String name) {
        refuse(name, "is missing");
    }

    /** A list that must not be empty when present; {@code null} when absent (refused when required). */
    List<JsonNode> list(String name, boolean required) {
        return list(name, required, false);
    }

    List<JsonNode> list(String name, boolean required, boolean emptyAllowed) {
        JsonNode value = get(name);
        if (value == null) {
            if (required) {
                missing(name);
            }
            return null;
        }
        if (!value.isArray()) {
            refuse(name, "must be a list, got " + describe(value));
            return List.of();
        }
        if (value.isEmpty() && !emptyAllowed) {
            refuse(name, "must not be an empty list");
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    /** Names every parameter present that the type did not read. Call after every read. */
    void finish() {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problem("unknown parameter " + quote(name) + " for type " + type + "; known parameters: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)));
            }
        }
    }

    static String describe(JsonNode value) {
        if (value.isTextual()) {
            return quote(value.textValue());
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        return value.isArray() ? "a list" : value.isObject() ? "an object" : value.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    static String quote(String text) {
        String shown = text.length() > MAXIMUM_QUOTED ? text.substring(0, MAXIMUM_QUOTED) + "..." : text;
        return "'" + shown + "'";
    }

    static String range(long minimum, long maximum) {
        boolean unbounded = maximum >= Integer.MAX_VALUE;
        if (minimum == 1 && unbounded) {
            return "must be positive";
        }
        if (minimum == 0 && unbounded) {
            return "must not be negative";
        }
        return unbounded ? "must be at least " + minimum : "must be between " + minimum + " and " + maximum;
    }
}
