package dev.ngao.ingest.list;

import dev.ngao.events.ListDimension;
import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.pii.NetworkAddresses;
import dev.ngao.ingest.pii.PersonalData;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a list entry: a dimension, a value in that dimension's format (normalised), a reason, and an
 * optional expiry in the future, at most {@link #MAXIMUM_EXPIRY} away. Messages never echo the value.
 */
public final class ListEntryValidator {

    public static final String DIMENSION = "dimension";
    public static final String VALUE = "value";
    public static final String REASON = "reason";
    public static final String EXPIRES_AT = "expiresAt";

    public static final Duration MAXIMUM_EXPIRY = Duration.ofDays(5 * 366);
    static final int MAXIMUM_REASON_LENGTH = 200;
    static final Pattern DEVICE = PersonalData.DEVICE_FINGERPRINT;
    static final Pattern DNI = Pattern.compile("[0-9]{8}");

    private static final Set<String> FIELDS = Set.of(DIMENSION, VALUE, REASON, EXPIRES_AT);
    private static final Set<ListDimension> DIMENSIONS = EnumSet.complementOf(EnumSet.of(ListDimension.UNKNOWN));

    private final Clock clock;

    public ListEntryValidator(Clock clock) {
        this.clock = clock;
    }

    public Validation<ListEntryRequest> validate(Map<String, ?> body) {
        FieldReader fields = FieldReader.of(body);
        fields.refuseUnknown(FIELDS);
        ListDimension dimension = fields.requiredEnum(DIMENSION, ListDimension.class, DIMENSIONS);
        String value = value(fields, dimension);
        String reason = fields.text(REASON, true, MAXIMUM_REASON_LENGTH);
        Instant expiresAt = expiresAt(fields, clock.instant());
        return Validation.of(fields.errors(), () -> new ListEntryRequest(dimension, value, reason, expiresAt));
    }

    private static String value(FieldReader fields, ListDimension dimension) {
        String text = fields.requiredString(VALUE);
        if (text == null || dimension == null) {
            return null;
        }
        Optional<String> normalised = switch (dimension) {
            case EMAIL -> matching(text, FieldReader.EMAIL).map(PersonalData::normaliseEmail);
            case PHONE -> matching(text, FieldReader.E164);
            case DEVICE -> matching(text, DEVICE);
            case DNI -> matching(text, DNI);
            case IP -> NetworkAddresses.canonicalAddress(text);
            case CIDR -> NetworkAddresses.canonicalRange(text);
            case COUNTRY -> FieldReader.COUNTRIES.contains(text) ? Optional.of(text) : Optional.empty();
            case UNKNOWN -> Optional.empty();
        };
        if (normalised.isEmpty()) {
            fields.refuse(VALUE, rule(dimension));
            return null;
        }
        return normalised.get();
    }

    private static Optional<String> matching(String text, Pattern pattern) {
        return pattern.matcher(text).matches() ? Optional.of(text) : Optional.empty();
    }

    static String rule(ListDimension dimension) {
        return switch (dimension) {
            case EMAIL -> FieldReader.EMAIL_RULE + " for an EMAIL entry";
            case PHONE -> FieldReader.E164_RULE + " for a PHONE entry";
            case DEVICE -> PersonalData.DEVICE_FINGERPRINT_RULE + " for a DEVICE entry";
            case DNI -> "must be exactly 8 digits for a DNI entry";
            case IP -> "must be an IPv4 or IPv6 address for an IP entry";
            case CIDR -> "must be an address/prefix range such as 203.0.113.0/24 or 2001:db8::/32 for a CIDR entry";
            case COUNTRY -> FieldReader.COUNTRY_RULE + " for a COUNTRY entry";
            case UNKNOWN -> "is not a known dimension";
        };
    }

    private static Instant expiresAt(FieldReader fields, Instant now) {
        String text = fields.text(EXPIRES_AT, false, 64);
        if (text == null) {
            return null;
        }
        try {
            Instant expiresAt = OffsetDateTime.parse(text).toInstant();
            if (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(MAXIMUM_EXPIRY))) {
                fields.refuse(EXPIRES_AT, "must be in the future and at most 5 years away");
                return null;
            }
            return expiresAt;
        } catch (DateTimeParseException e) {
            fields.refuse(EXPIRES_AT, "must be a date-time with offset such as 2026-06-30T00:00:00Z");
            return null;
        }
    }
}
