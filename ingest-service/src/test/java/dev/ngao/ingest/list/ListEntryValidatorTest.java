package dev.ngao.ingest.list;

import dev.ngao.events.ListDimension;
import dev.ngao.ingest.http.TestBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ListEntryValidatorTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private final ListEntryValidator validator = new ListEntryValidator(Clock.fixed(NOW, ZoneOffset.UTC));

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "EMAIL   | Fraud.Ster@Example.com | fraud.ster@example.com",
            "PHONE   | +254712345678          | +254712345678",
            "DEVICE  | dev-9f8e7d6c5b4a       | dev-9f8e7d6c5b4a",
            "DNI     | 45678912               | 45678912",
            "IP      | 203.0.113.7            | 203.0.113.7",
            "IP      | 2001:DB8::1            | 2001:db8:0:0:0:0:0:1",
            "CIDR    | 203.0.113.77/24        | 203.0.113.0/24",
            "CIDR    | 2001:db8::ff/32        | 2001:db8:0:0:0:0:0:0/32",
            "CIDR    | 0.0.0.0/0              | 0.0.0.0/0",
            "COUNTRY | KP                     | KP"})
    void shouldAcceptAndNormaliseValueWhenItFitsItsDimension(ListDimension dimension, String value, String normalised) {
        ListEntryRequest entry = TestBodies.valid(validator.validate(Map.of("dimension", dimension.name(),
                "value", value, "reason", "chargeback 2026-02")));

        assertThat(entry.dimension()).isEqualTo(dimension);
        assertThat(entry.value()).isEqualTo(normalised);
        assertThat(entry.expiresAt()).isNull();
    }

    @Test
    void shouldAcceptExpiryWhenInTheFuture() {
        ListEntryRequest entry = TestBodies.valid(validator.validate(Map.of("dimension", "COUNTRY", "value", "KP",
                "reason", "sanctions", "expiresAt", "2026-06-30T00:00:00-05:00")));

        assertThat(entry.expiresAt()).isEqualTo(Instant.parse("2026-06-30T05:00:00Z"));
    }

    static Stream<Arguments> invalidEntries() {
        return Stream.of(
                arguments("unknown field", Map.of("dimension", "IP", "value", "203.0.113.7", "reason", "x", "list", "block"),
                        "list"),
                arguments("dimension missing", Map.of("value", "203.0.113.7", "reason", "x"), "dimension"),
                arguments("dimension unknown", Map.of("dimension", "NAME", "value", "Ana", "reason", "x"), "dimension"),
                arguments("dimension UNKNOWN", Map.of("dimension", "UNKNOWN", "value", "Ana", "reason", "x"), "dimension"),
                arguments("value missing", Map.of("dimension", "IP", "reason", "x"), "value"),
                arguments("bad email", Map.of("dimension", "EMAIL", "value", "fraudster", "reason", "x"), "value"),
                arguments("bad phone", Map.of("dimension", "PHONE", "value", "0712345678", "reason", "x"), "value"),
                arguments("short device", Map.of("dimension", "DEVICE", "value", "abc", "reason", "x"), "value"),
                arguments("bad DNI", Map.of("dimension", "DNI", "value", "4567891", "reason", "x"), "value"),
                arguments("IPv4 out of range", Map.of("dimension", "IP", "value", "203.0.113.256", "reason", "x"), "value"),
                arguments("IPv4 with three parts", Map.of("dimension", "IP", "value", "10.0.1", "reason", "x"), "value"),
                arguments("host name as IP", Map.of("dimension", "IP", "value", "example.com", "reason", "x"), "value"),
                arguments("IPv6 malformed", Map.of("dimension", "IP", "value", "2001:db8:::1:", "reason", "x"), "value"),
                arguments("CIDR without prefix", Map.of("dimension", "CIDR", "value", "203.0.113.0", "reason", "x"), "value"),
                arguments("CIDR prefix too long", Map.of("dimension", "CIDR", "value", "203.0.113.0/33", "reason", "x"),
                        "value"),
                arguments("CIDR with host name", Map.of("dimension", "CIDR", "value", "example.com/24", "reason", "x"),
                        "value"),
                arguments("country lower case", Map.of("dimension", "COUNTRY", "value", "kp", "reason", "x"), "value"),
                arguments("reason missing", Map.of("dimension", "COUNTRY", "value", "KP"), "reason"),
                arguments("reason too long", Map.of("dimension", "COUNTRY", "value", "KP", "reason", "x".repeat(201)),
                        "reason"),
                arguments("expiry in the past", Map.of("dimension", "COUNTRY", "value", "KP", "reason", "x",
                        "expiresAt", "2026-02-01T00:00:00Z"), "expiresAt"),
                arguments("expiry too far", Map.of("dimension", "COUNTRY", "value", "KP", "reason", "x",
                        "expiresAt", "2032-01-01T00:00:00Z"), "expiresAt"),
                arguments("expiry without offset", Map.of("dimension", "COUNTRY", "value", "KP", "reason", "x",
                        "expiresAt", "2026-06-30T00:00:00"), "expiresAt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEntries")
    void shouldRefuseFieldWhenInvalid(String description, Map<String, Object> body, String field) {
        assertThat(TestBodies.refusedFields(validator.validate(body))).containsExactly(field);
        assertThat(TestBodies.messages(validator.validate(body))).doesNotContain("fraudster", "0712345678", "4567891");
    }
}
