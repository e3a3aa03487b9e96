package dev.ngao.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Rule set documents as files, JSON ({@code .json}) or YAML ({@code .yaml}, {@code .yml}), in the shape
 * ingest-service accepts on its rule set API: {@code merchantId} (a merchant id or {@code default}),
 * {@code version}, and {@code rules}, each with {@code id}, {@code type}, {@code parameters} (an object),
 * {@code action} (ALLOW, REVIEW, BLOCK, CHALLENGE) and {@code mode} (ENFORCE, SHADOW). Reading checks the shape and
 * names every problem; what each type's parameters mean is the {@link RuleSetCompiler}'s to check.
 *
 * <p>YAML is read with a safe constructor (standard types only), bounded aliases, depth and size, no
 * duplicate keys, and YAML 1.2 scalars: {@code NO} stays the country code of Norway and {@code 22:00}
 * stays text, where YAML 1.1 would read a boolean and the number 1320.
 */
public final class RuleSetFiles {

    static final int MAXIMUM_PARAMETERS_LENGTH = 4_096;

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Pattern RULE_TYPE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Set<String> FIELDS = Set.of("merchantId", "version", "rules");
    private static final Set<String> RULE_FIELDS = Set.of("id", "type", "parameters", "action", "mode");

    private RuleSetFiles() {
    }

    /** The rule set of a file, published by {@code file:<name>} at the epoch (files carry no publisher). */
    public static RuleSetPublished read(Path file) throws IOException, InvalidRuleSetFileException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.getFileName().toString());
    }

    /** The rule set of {@code text}, JSON or YAML as {@code fileName}'s extension says. */
    public static RuleSetPublished parse(String text, String fileName) throws InvalidRuleSetFileException {
        return parse(text, fileName, "file:" + fileName, Instant.EPOCH);
    }

    public static RuleSetPublished parse(String text, String fileName, String apiKeyId, Instant publishedAt)
            throws InvalidRuleSetFileException {
        List<String> problems = new ArrayList<>();
        JsonNode document = document(text, fileName, problems);
        if (document == null) {
            throw new InvalidRuleSetFileException(fileName, problems);
        }
        RuleSetPublished published = shape(document, problems);
        if (!problems.isEmpty()) {
            throw new InvalidRuleSetFileException(fileName, problems);
        }
        published.setApiKeyId(apiKeyId);
        published.setPublishedAt(publishedAt);
        return published;
    }

    /** Whether a file name is one {@link #read} takes. */
    public static boolean isRuleSetFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static JsonNode document(String text, String fileName, List<String> problems) {
        String name = fileName.toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".json")) {
                return ParameterReader.JSON.readTree(text);
            }
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                Object loaded = SafeYaml.load(text);
                if (loaded == null) {
                    problems.add("the document is empty");
                    return null;
                }
                return ParameterReader.JSON.valueToTree(loaded);
            }
            problems.add("file name must end with .json, .yaml or .yml");
        } catch (JsonProcessingException e) {
            problems.add("not valid JSON: " + e.getOriginalMessage());
        } catch (RuntimeException e) {
            // SnakeYAML reports syntax errors and its limits as unchecked exceptions, each a malformed file.
            problems.add("not valid YAML: " + oneLine(e.getMessage()));
        }
        return null;
    }

    private static RuleSetPublished shape(JsonNode document, List<String> problems) {
        if (!(document instanceof ObjectNode object)) {
            problems.add("the document must be an object with merchantId, version and rules");
            return null;
        }
        unknown(object, FIELDS, "", problems);
        String merchantId = text(object, "merchantId", REFERENCE, "must be a merchant id (1 to 64 characters among "
                + "A-Z a-z 0-9 . _ -) or default", "", problems);
        String version = text(object, "version", VERSION, "must be 1 to 32 characters among A-Z a-z 0-9 . _ - "
                + "(quote numbers in YAML)", "", problems);
        List<dev.ngao.events.Rule> rules = new ArrayList<>();
        JsonNode list = object.get("rules");
        if (list == null || list.isNull()) {
            problems.add("rules is missing");
        } else if (!list.isArray() || list.isEmpty()) {
            problems.add("rules must be a list of at least one rule");
        } else if (list.size() > RuleSetCompiler.MAXIMUM_RULES) {
            problems.add("rules must hold at most " + RuleSetCompiler.MAXIMUM_RULES + " rules, got " + list.size());
        } else {
            for (int index = 0; index < list.size(); index++) {
                dev.ngao.events.Rule rule = rule(list.get(index), index, problems);
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        return new RuleSetPublished(merchantId, version, rules, "", Instant.EPOCH);
    }

    private static dev.ngao.events.Rule rule(JsonNode node, int index, List<String> problems) {
        String where = "rules[" + index + "]";
        if (!(node instanceof ObjectNode rule)) {
            problems.add(where + " must be an object with id, type, parameters, action and mode");
            return null;
        }
        JsonNode idNode = rule.get("id");
        String name = idNode != null && idNode.isTextual() && REFERENCE.matcher(idNode.textValue()).matches()
                ? "rule '" + idNode.textValue() + "': " : where + ": ";
        int before = problems.size();
        unknown(rule, RULE_FIELDS, name, problems);
        String id = text(rule, "id", REFERENCE, "must be 1 to 64 characters among A-Z a-z 0-9 . _ -", name, problems);
        String type = text(rule, "type", RULE_TYPE, "must be a rule type in lower case such as velocity-count",
                name, problems);
        String parameters = null;
        JsonNode parametersNode = rule.get("parameters");
        if (parametersNode == null || parametersNode.isNull()) {
            problems.add(name + "parameters is missing (write {} for none)");
        } else if (!parametersNode.isObject()) {
            problems.add(name + "parameters must be an object");
        } else {
            parameters = parametersNode.toString();
            if (parameters.length() > MAXIMUM_PARAMETERS_LENGTH) {
                problems.add(name + "parameters must not exceed " + MAXIMUM_PARAMETERS_LENGTH + " characters as JSON");
            }
        }
        RuleAction action = choice(rule, "action", RuleAction.class, name, problems);
        RuleMode mode = choice(rule, "mode", RuleMode.class, name, problems);
        if (problems.size() > before) {
            return null;
        }
        return new dev.ngao.events.Rule(id, type, parameters, action, mode);
    }

    private static String text(ObjectNode node, String field, Pattern format, String expected, String name,
                               List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            problems.add(name + field + " is missing");
            return null;
        }
        if (!value.isTextual() || !format.matcher(value.textValue()).matches()) {
            problems.add(name + field + " " + expected);
            return null;
        }
        return value.textValue();
    }

    private static <E extends Enum<E>> E choice(ObjectNode node, String field, Class<E> type, String name,
                                                List<String> problems) {
        JsonNode value = node.get(field);
        String choices = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        if (value == null || value.isNull()) {
            problems.add(name + field + " is missing (one of " + choices + ")");
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (value.isTextual() && constant.name().equals(value.textValue())) {
                return constant;
            }
        }
        problems.add(name + field + " must be one of " + choices);
        return null;
    }

    private static void unknown(ObjectNode node, Set<String> known, String name, List<String> problems) {
        for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!known.contains(field)) {
                problems.add(name + "unknown field '" + field + "'; known fields: "
                        + known.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
    }

    /** SnakeYAML's message (what, where, a snippet) on one line, bounded. */
    private static String oneLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
