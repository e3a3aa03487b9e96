package dev.ngao.ingest.webhook;

import dev.ngao.ingest.http.FieldError;
import dev.ngao.platform.money.Amounts;
import dev.ngao.platform.money.InvalidAmountException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the fields of one payload, collecting every refusal; messages state the rule, never the value. */
final class PayloadFields {

    /** Event ids, transaction ids and references: what the claim store and Kafka keys accept, and no more. */
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final Map<String, Object> json;
    private final List<FieldError> errors = new ArrayList<>();

    PayloadFields(Map<String, Object> json) {
        this.json = json;
    }

    /** A nested object's fields, reported under {@code prefix.}; empty (and refused) when it is not an object. */
    @SuppressWarnings("unchecked")
    Optional<Map<String, Object>> object(String field) {
        Object value = json.get(field);
        if (value instanceof Map<?, ?> map) {
            return Optional.of((Map<String, Object>) map);
        }
        if (value instanceof io.vertx.core.json.JsonObject object) {
            return Optional.of(object.getMap());
        }
        errors.add(new FieldError(field, "is required and must be an object"));
        return Optional.empty();
    }

    String identifier(String field) {
        return identifier(json, field, field);
    }

    String identifier(Map<String, Object> from, String field, String reportedAs) {
        String value = text(from, field, reportedAs);
        if (value != null && !IDENTIFIER.matcher(value).matches()) {
            errors.add(new FieldError(reportedAs, "must be 1 to 128 characters among A-Z a-z 0-9 . _ : -"));
            return null;
        }
        return value;
    }

    /** One of {@code allowed}'s keys, mapped to its value. */
    <T> T oneOf(String field, Map<String, T> allowed) {
        String value = text(json, field, field);
        if (value == null) {
            return null;
        }
        T mapped = allowed.get(value);
        if (mapped == null) {
            errors.add(new FieldError(field, "must be one of " + String.join(", ", allowed.keySet().stream().sorted().toList())));
        }
        return mapped;
    }

    String currency(Map<String, Object> from, String field, String reportedAs) {
        String value = text(from, field, reportedAs);
        if (value == null) {
            return null;
        }
        if (!CURRENCY.matcher(value).matches()) {
            errors.add(new FieldError(reportedAs, "must be an ISO-4217 code in upper case"));
            return null;
        }
        try {
            Amounts.currency(value);
            return value;
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(reportedAs, "is not a known ISO-4217 currency"));
            return null;
        }
    }

    /** A decimal string in the currency's minor digits, never rounded; null when refused or no currency. */
    Long amountMinor(Map<String, Object> from, String field, String reportedAs, String currency) {
        String value = text(from, field, reportedAs);
        if (value == null || currency == null) {
            return null;
        }
        try {
            return Amounts.toMinorUnits(value, currency);
        } catch (InvalidAmountException e) {
            errors.add(new FieldError(reportedAs, e.getMessage()));
            return null;
        }
    }

    /** As {@link #amountMinor}, for a field a provider may leave out (a fee): null when absent or refused. */
    Long optionalAmountMinor(Map<String, Object> from, String field, String reportedAs, String currency) {
        if (from.get(field) == null) {
            return null;
        }
        Long minor = amountMinor(from, field, reportedAs, currency);
        if (minor != null && minor < 0) {
            errors.add(new FieldError(reportedAs, "must not be negative"));
            return null;
        }
        return minor;
    }

    /** ISO-8601 instant with Z or an offset. */
    Instant instant(String field) {
        String value = text(json, field, field);
        if (value == null) {
            return null;
        }
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value, Instant::from);
        } catch (DateTimeException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 date-time with Z or an offset"));
            return null;
        }
    }

    /** ISO-8601 local date-time without offset, in {@code zone}, converted here to a UTC instant. */
    Instant localDateTime(String field, ZoneId zone) {
        String value = text(json, field, field);
        if (value == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(value, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 local date-time without offset, in " + zone));
            return null;
        }
    }

    private String text(Map<String, Object> from, String field, String reportedAs) {
        Object value = from.get(field);
        if (value == null) {
            errors.add(new FieldError(reportedAs, "is required"));
            return null;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            errors.add(new FieldError(reportedAs, "must be a non-empty string"));
            return null;
        }
        return text;
    }

    /** The notification if no field was refused. */
    ProviderPayload.Parsed result(java.util.function.Supplier<ProviderNotification> notification) {
        return errors.isEmpty() ? new ProviderPayload.Valid(notification.get()) : new ProviderPayload.Invalid(List.copyOf(errors));
    }
}
