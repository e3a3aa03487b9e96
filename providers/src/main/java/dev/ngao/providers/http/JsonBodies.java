package dev.ngao.providers.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ngao.events.Money;
import dev.ngao.platform.money.Amounts;
import dev.ngao.platform.money.InvalidAmountException;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * JSON bodies of provider calls: writing requests and reading answers field by field, each refusal naming
 * the field and never its value.
 */
public final class JsonBodies {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String provider;
    private final String operation;

    public JsonBodies(String provider, String operation) {
        this.provider = provider;
        this.operation = operation;
    }

    public static byte[] write(Map<String, ?> body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }

    public JsonNode read(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw unreadable("not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw unreadable("not JSON");
        }
    }

    public String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw unreadable(field + " missing");
        }
        return value.asText();
    }

    public String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    /** Decimal text and a currency code into minor units, never rounded. */
    public Money money(String amountText, String currency, String field) {
        try {
            return new Money(Amounts.toMinorUnits(amountText, currency), currency);
        } catch (InvalidAmountException e) {
            throw unreadable(field + ": " + e.getMessage());
        }
    }

    public Instant instant(JsonNode node, String field) {
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text(node, field), Instant::from);
        } catch (DateTimeException e) {
            throw unreadable(field + " is not an ISO-8601 instant");
        }
    }

    public Instant localDateTime(JsonNode node, String field, ZoneId zone) {
        try {
            return LocalDateTime.parse(text(node, field), DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw unreadable(field + " is not an ISO-8601 local date-time");
        }
    }

    public ProviderCallException unreadable(String why) {
        return ProviderCallException.unreadable(provider, operation, why);
    }
}
