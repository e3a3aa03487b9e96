package dev.ngao.ingest.http;

import dev.ngao.ingest.audit.PiiScrubber;
import dev.ngao.platform.money.Amounts;
import dev.ngao.platform.money.InvalidAmountException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the fields of a parsed JSON body (plain maps and lists, no Vert.x) and collects every refusal, so a
 * validator reports all invalid fields at once. Nested objects and list items are read by readers whose
 * field names carry their path ({@code controls.limits[0].interval}). Messages describe the rule and never
 * repeat the value, which may be PII. A getter returns null when the field is refused or absent.
 */
public final class FieldReader {

    /** E.164: a plus, a country code that does not start with 0, at most 15 digits in all (8 at least here). */
    public static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");
    /** A pragmatic address check (RFC 5321 lengths, a dotted domain); deliverability is the provider's concern. */
    public static final Pattern EMAIL = Pattern.compile(
            "(?=.{3,254}$)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    public static final String EMAIL_RULE = "must be an email address such as name@example.com";
    public static final String E164_RULE = "must be an E.164 number: + then 8 to 15 digits, no spaces";
    public static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final String REFERENCE_RULE = "must be 1 to 64 characters among A-Z a-z 0-9 . _ -";
    public static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    public static final String COUNTRY_RULE = "must be an ISO-3166 alpha-2 country code in upper case, such as PE";

    /** Unknown fields named in one answer at most: a body of thousands of them gets a bounded answer. */
    public static final int MAXIMUM_UNKNOWN_FIELDS_REPORTED = 10;
    /** The name an unknown field is reported under when its own name is not a plain identifier. */
    public static final String UNPRINTABLE_FIELD = "(unnamed)";
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    private final Map<String, ?> body;
    private final String path;
    private final List<FieldError> errors;

    private FieldReader(Map<String, ?> body, String path, List<FieldError> errors) {
        this.body = body;
        this.path = path;
        this.errors = errors;
    }

    public static FieldReader of(Map<String, ?> body) {
        return new FieldReader(body, "", new ArrayList<>());
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The full name of {@code field} as the caller sees it. */
    public String name(String field) {
        return path + field;
    }

    public void refuse(String field, String message) {
        errors.add(new FieldError(name(field), message));
    }

    public boolean has(String field) {
        return body.get(field) != null;
    }

    /**
     * Refuses every field not in {@code known}: a misspelt optional field must not be silently ignored. At
     * most {@value #MAXIMUM_UNKNOWN_FIELDS_REPORTED} are named, and a name that is not a plain identifier or
     * looks like personal data (a caller may send {@code {"ana@example.com": 1}}) is reported as
     * {@value #UNPRINTABLE_FIELD}: the answer never echoes it.
     */
    public void refuseUnknown(Set<String> known) {
        new TreeSet<>(body.keySet()).stream()
                .filter(field -> !known.contains(field))
                .map(field -> printable(field) ? field : UNPRINTABLE_FIELD)
                .distinct()
                .limit(MAXIMUM_UNKNOWN_FIELDS_REPORTED)
                .forEach(field -> refuse(field, "is not a known field"));
    }

    private static boolean printable(String name) {
        return FIELD_NAME.matcher(name).matches() && !PiiScrubber.looksLikePii(name);
    }

    public String requiredString(String field) {
        Object value = body.get(field);
        if (value == null) {
            refuse(field, "is required");
            return null;
        }
        return string(field, value);
    }

    public String optionalString(String field) {
        Object value = body.get(field);
        return value == null ? null : string(field, value);
    }

    private String string(String field, Object value) {
        if (!(value instanceof String text)) {
            refuse(field, "must be a string");
            return null;
        }
        return text;
    }

    public String requiredMatching(String field, Pattern pattern, String rule) {
        return matching(field, requiredString(field), pattern, rule);
    }

    public String optionalMatching(String field, Pattern pattern, String rule) {
        return matching(field, optionalString(field), pattern, rule);
    }

    private String matching(String field, String text, Pattern pattern, String rule) {
        if (text != null && !pattern.matcher(text).matches()) {
            refuse(field, rule);
            return null;
        }
        return text;
    }

    /** Free text of 1 to {@code maxLength} characters without control characters. */
    public String text(String field, boolean required, int maxLength) {
        String text = required ? requiredString(field) : optionalString(field);
        if (text == null) {
            return null;
        }
        if (text.isBlank() || text.length() > maxLength || text.chars().anyMatch(Character::isISOControl)) {
            refuse(field, "must be 1 to " + maxLength + " characters, not blank, without control characters");
            return null;
        }
        return text;
    }

    public <E extends Enum<E>> E requiredEnum(String field, Class<E> type) {
        return enumValue(field, requiredString(field), Set.of(type.getEnumConstants()), type);
    }

    /** One of {@code allowed}, a subset of the enum's constants. */
    public <E extends Enum<E>> E requiredEnum(String field, Class<E> type, Set<E> allowed) {
        return enumValue(field, requiredString(field), allowed, type);
    }

    private <E extends Enum<E>> E enumValue(String field, String text, Set<E> allowed, Class<E> type) {
        if (text == null) {
            return null;
        }
        for (E constant : allowed) {
            if (constant.name().equals(text)) {
                return constant;
            }
        }
        refuse(field, "must be one of " + allowed.stream().map(Enum::name).sorted().collect(Collectors.joining(", ")));
        return null;
    }

    /** An ISO-4217 code Ngao can pay in. */
    public String currency(String field) {
        String code = requiredString(field);
        if (code == null) {
            return null;
        }
        try {
            return Amounts.currency(code).getCurrencyCode();
        } catch (InvalidAmountException e) {
            refuse(field, "must be an ISO-4217 currency code in upper case, such as PEN");
            return null;
        }
    }

    /**
     * A decimal string in {@code currency}, converted to minor units; null when refused. Converted only when
     * the currency is known ({@code currency} not null): it decides how many decimals are allowed. A JSON
     * number is refused: it would already have passed through a double, which money never does.
     */
    public Long amountMinor(String field, String currency) {
        Object value = body.get(field);
        if (value instanceof Number) {
            refuse(field, "must be a decimal string such as \"150.50\", not a JSON number");
            return null;
        }
        String text = requiredString(field);
        if (text == null || currency == null) {
            return null;
        }
        try {
            return Amounts.toMinorUnits(text, currency);
        } catch (InvalidAmountException e) {
            refuse(field, e.getMessage());
            return null;
        }
    }

    /** A whole JSON number from 1 to {@code maximum}; fractions, exponents and strings are refused. */
    public Long positiveWholeNumber(String field, long maximum) {
        Object value = body.get(field);
        if (value == null) {
            refuse(field, "is required");
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)
                || ((Number) value).longValue() < 1 || ((Number) value).longValue() > maximum) {
            refuse(field, "must be a whole number from 1 to " + maximum);
            return null;
        }
        return ((Number) value).longValue();
    }

    public String country(String field, boolean required) {
        String code = required ? requiredString(field) : optionalString(field);
        if (code != null && !COUNTRIES.contains(code)) {
            refuse(field, COUNTRY_RULE);
            return null;
        }
        return code;
    }

    /**
     * An optional list of at most {@code maxItems} strings, each matching {@code pattern}; duplicates are
     * dropped, order kept. Absent gives an empty list.
     */
    public List<String> stringList(String field, Pattern pattern, String itemRule, int maxItems) {
        Object value = body.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> items) || items.size() > maxItems) {
            refuse(field, "must be a list of at most " + maxItems + " strings");
            return List.of();
        }
        Set<String> accepted = new LinkedHashSet<>();
        for (int index = 0; index < items.size(); index++) {
            if (items.get(index) instanceof String text && pattern.matcher(text).matches()) {
                accepted.add(text);
            } else {
                refuse(field + "[" + index + "]", itemRule);
            }
        }
        return List.copyOf(accepted);
    }

    /** A reader of the nested object {@code field}, sharing this reader's errors; null when absent or refused. */
    public FieldReader optionalObject(String field) {
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        return object(field, value);
    }

    public FieldReader requiredObject(String field) {
        Object value = body.get(field);
        if (value == null) {
            refuse(field, "is required");
            return null;
        }
        return object(field, value);
    }

    @SuppressWarnings("unchecked")
    private FieldReader object(String field, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            refuse(field, "must be a JSON object");
            return null;
        }
        return new FieldReader((Map<String, ?>) map, name(field) + ".", errors);
    }

    /**
     * Readers of the objects of list {@code field}, at most {@code maxItems}; an absent list gives none when
     * {@code required} is false. Items that are not objects are refused by position.
     */
    public List<FieldReader> objectList(String field, boolean required, int maxItems) {
        Object value = body.get(field);
        if (value == null) {
            if (required) {
                refuse(field, "is required");
            }
            return List.of();
        }
        if (!(value instanceof List<?> items) || items.size() > maxItems) {
            refuse(field, "must be a list of at most " + maxItems + " objects");
            return List.of();
        }
        List<FieldReader> readers = new ArrayList<>();
        for (int index = 0; index < items.size(); index++) {
            FieldReader item = object(field + "[" + index + "]", items.get(index));
            if (item != null) {
                readers.add(item);
            }
        }
        return readers;
    }

    /** The raw value, for fields whose shape the validator checks itself. */
    public Object raw(String field) {
        return body.get(field);
    }

    /** Names of an enum's constants, sorted, for rule messages. */
    public static String names(Enum<?>... constants) {
        return Arrays.stream(constants).map(Enum::name).sorted().collect(Collectors.joining(", "));
    }
}
