package dev.ngao.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ngao.platform.money.Amounts;
import dev.ngao.platform.money.InvalidAmountException;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the parameters of one rule from its JSON object, typed (integers in a range, booleans, texts, enum
 * constants, country and category codes, amounts per currency, zones, times of day, windows), and collects every
 * problem instead of stopping at the first, each prefixed with the rule's id ({@link ParameterSource} keeps
 * them). A reader returns {@code null} (or the default) for a parameter it refused; the caller builds the rule only when {@link #valid()} says nothing was refused.
 * Every parameter a type reads is remembered, so {@link #finish()} can name the ones nobody read as unknown
 * together with the known ones.
 */
final class ParameterReader extends ParameterSource {

    /** The zone of UTC counters; "Z", "Etc/UTC" and "GMT" read as this one so that they share counters. */
    static final ZoneId UTC = ZoneId.of("UTC");

    private static final Pattern CATEGORY = Pattern.compile("[0-9]{4}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private ParameterReader(String ruleId, String type, ObjectNode node, List<String> problems) {
        super(ruleId, type, node, problems);
    }

    /** A reader of {@code parametersJson}; a text that is not one JSON object is a problem, read as {}. */
    static ParameterReader of(String ruleId, String type, String parametersJson, List<String> problems) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ParameterReader reader = new ParameterReader(ruleId, type, node, problems);
        if (parametersJson == null || parametersJson.isBlank()) {
            return reader;
        }
        try {
            JsonNode parsed = JSON.readTree(parametersJson);
            if (parsed instanceof ObjectNode object) {
                return new ParameterReader(ruleId, type, object, problems);
            }
            reader.problem("parameters must be a JSON object");
        } catch (JsonProcessingException e) {
            reader.problem("parameters are not valid JSON: " + e.getOriginalMessage());
        }
        return reader;
    }

    /** An integer in {@code [minimum, maximum]}; a {@code null} default makes the parameter required. */
    Long longValue(String name, Long defaultValue, long minimum, long maximum) {
        JsonNode value = get(name);
        if (value == null) {
            if (defaultValue == null) {
                missing(name);
            }
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            refuse(name, "must be an integer, got " + describe(value));
            return null;
        }
        long number = value.longValue();
        if (number < minimum || number > maximum) {
            refuse(name, range(minimum, maximum) + ", got " + number);
            return null;
        }
        return number;
    }

    Integer intValue(String name, Integer defaultValue, int minimum, int maximum) {
        Long value = longValue(name, defaultValue == null ? null : defaultValue.longValue(), minimum, maximum);
        return value == null ? null : value.intValue();
    }

    Boolean booleanValue(String name, boolean defaultValue) {
        JsonNode value = get(name);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            refuse(name, "must be true or false, got " + describe(value));
            return null;
        }
        return value.booleanValue();
    }

    /** A string; {@code null} and a refusal when required and absent, {@code defaultValue} otherwise. */
    String text(String name, String defaultValue, boolean required) {
        JsonNode value = get(name);
        if (value == null) {
            if (required) {
                missing(name);
            }
            return defaultValue;
        }
        if (!value.isTextual()) {
            refuse(name, "must be a string, got " + describe(value));
            return null;
        }
        return value.textValue();
    }

    /** One of {@code allowed} by name; a {@code null} default makes the parameter required. */
    <E extends Enum<E>> E enumValue(String name, Class<E> type, E defaultValue, Set<E> allowed) {
        JsonNode value = get(name);
        if (value == null) {
            if (defaultValue == null) {
                missing(name);
            }
            return defaultValue;
        }
        return parseEnum(name, value, type, allowed);
    }

    private <E extends Enum<E>> E parseEnum(String name, JsonNode value, Class<E> type, Set<E> allowed) {
        String choices = allowed.stream().map(Enum::name).collect(Collectors.joining(", "));
        if (!value.isTextual()) {
            refuse(name, "must be one of " + choices + ", got " + describe(value));
            return null;
        }
        for (E constant : allowed) {
            if (constant.name().equals(value.textValue())) {
                return constant;
            }
        }
        refuse(name, "must be one of " + choices + ", got " + describe(value));
        return null;
    }

    /**
     * A list of distinct enum constants, at least one when present; {@code defaultValue} when absent
     * ({@code null} default: required).
     */
    <E extends Enum<E>> List<E> enumList(String name, Class<E> type, List<E> defaultValue, Set<E> allowed) {
        List<JsonNode> items = list(name, defaultValue == null);
        if (items == null) {
            return defaultValue;
        }
        List<E> values = new ArrayList<>();
        for (JsonNode item : items) {
            E value = parseEnum(name, item, type, allowed);
            if (value != null && values.contains(value)) {
                refuse(name, "names " + value + " twice");
            } else if (value != null) {
                values.add(value);
            }
        }
        return List.copyOf(values);
    }

    /**
     * ISO-3166 alpha-2 country codes in upper case; empty when absent and not required. An empty list is
     * refused when required (a list that must say something), read as "no restriction" otherwise.
     */
    List<String> countries(String name, boolean required) {
        return codes(name, required, code -> COUNTRIES.contains(code),
                "ISO-3166 alpha-2 country codes in upper case such as PE (quote NO, ON... in YAML)");
    }

    /** 4-digit merchant category codes (ISO 18245); empty when absent and not required. */
    List<String> categories(String name, boolean required) {
        return codes(name, required, code -> CATEGORY.matcher(code).matches(),
                "4-digit merchant category codes such as \"5411\" (quote them in YAML)");
    }

    private List<String> codes(String name, boolean required, java.util.function.Predicate<String> valid,
                               String expected) {
        List<JsonNode> items = list(name, required, !required);
        if (items == null) {
            return List.of();
        }
        Set<String> codes = new LinkedHashSet<>();
        for (JsonNode item : items) {
            if (!item.isTextual() || !valid.test(item.textValue())) {
                refuse(name, "must hold " + expected + ", got " + describe(item));
            } else if (!codes.add(item.textValue())) {
                refuse(name, "names " + item.textValue() + " twice");
            }
        }
        return List.copyOf(codes);
    }

    /**
     * Amounts per currency, {@code {"KES": 1500000}}: ISO-4217 codes, integer minor units, never negative.
     * Sorted by currency so that a rule prints its parameters the same way every time.
     */
    Map<String, Long> amounts(String name, boolean required) {
        return amounts(name, required, false);
    }

    /** As {@link #amounts(String, boolean)}; {@code {}} accepted when {@code emptyAllowed}. */
    Map<String, Long> amounts(String name, boolean required, boolean emptyAllowed) {
        JsonNode value = get(name);
        if (value == null) {
            if (required) {
                missing(name);
            }
            return null;
        }
        if (!value.isObject()) {
            refuse(name, "must be an object of amounts in minor units per currency such as {\"KES\": 1500000}, got "
                    + describe(value));
            return null;
        }
        if (value.isEmpty() && !emptyAllowed) {
            refuse(name, "must name at least one currency");
            return null;
        }
        Map<String, Long> amounts = new TreeMap<>();
        boolean valid = true;
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String currency = field.getKey();
            try {
                Amounts.currency(currency);
            } catch (InvalidAmountException e) {
                refuse(name, "has a bad currency: " + e.getMessage());
                valid = false;
                continue;
            }
            JsonNode amount = field.getValue();
            if (!amount.isIntegralNumber() || !amount.canConvertToLong()) {
                refuse(name + "." + currency, "must be an integer amount in minor units, got " + describe(amount));
                valid = false;
            } else if (amount.longValue() < 0) {
                refuse(name + "." + currency, "must not be negative, got " + amount.longValue());
                valid = false;
            } else {
                amounts.put(currency, amount.longValue());
            }
        }
        return valid ? amounts : null;
    }

    /** An IANA zone id such as America/Lima, or a fixed offset such as UTC. */
    ZoneId zone(String name, ZoneId defaultValue) {
        String text = text(name, null, false);
        if (text == null) {
            return has(name) ? null : defaultValue;
        }
        try {
            ZoneId zone = ZoneId.of(text);
            return zone.normalized().equals(java.time.ZoneOffset.UTC) ? UTC : zone;
        } catch (DateTimeException e) {
            refuse(name, "must be an IANA time zone such as America/Lima or UTC, got " + quote(text));
            return null;
        }
    }

    /** A local time of day, "HH:mm". */
    LocalTime time(String name) {
        JsonNode value = get(name);
        if (value == null) {
            missing(name);
            return null;
        }
        if (!value.isTextual()) {
            refuse(name, "must be a time of day such as \"22:00\" (quote it in YAML), got " + describe(value));
            return null;
        }
        try {
            return LocalTime.parse(value.textValue(), TIME);
        } catch (DateTimeParseException e) {
            refuse(name, "must be a time of day HH:mm such as \"22:00\", got " + quote(value.textValue()));
            return null;
        }
    }

    /** A sliding window in whole seconds, positive and at most {@link RuleTypes#MAXIMUM_WINDOW}. */
    Duration window(String name) {
        JsonNode value = get(name);
        if (value == null) {
            missing(name);
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            refuse(name, "must be an integer number of seconds, got " + describe(value));
            return null;
        }
        long seconds = value.longValue();
        if (seconds <= 0) {
            refuse(name, "must be positive, got " + seconds);
            return null;
        }
        if (seconds > RuleTypes.MAXIMUM_WINDOW.toSeconds()) {
            refuse(name, "must be at most " + RuleTypes.MAXIMUM_WINDOW.toSeconds() + " ("
                    + Texts.window(RuleTypes.MAXIMUM_WINDOW) + "), got " + seconds);
            return null;
        }
        return Duration.ofSeconds(seconds);
    }

    /** Every constant of an enum but the ones named, for readers that refuse e.g. UNKNOWN. */
    @SafeVarargs
    static <E extends Enum<E>> Set<E> allBut(Class<E> type, E... excluded) {
        Set<E> constants = new LinkedHashSet<>(Arrays.asList(type.getEnumConstants()));
        Arrays.asList(excluded).forEach(constants::remove);
        return constants;
    }

    static <E extends Enum<E>> Set<E> all(Class<E> type) {
        return new LinkedHashSet<>(Arrays.asList(type.getEnumConstants()));
    }
}
