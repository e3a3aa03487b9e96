package dev.ngao.ingest.cip;

import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.payer.Payer;
import dev.ngao.ingest.payer.PayerFields;
import dev.ngao.ingest.pii.DocumentType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

/**
 * The rules of a {@code POST /v1/cip-payments} body, on the parsed JSON object as plain maps. Every field is
 * checked and every failure reported at once; messages never echo a document number, email or phone.
 *
 * <p>The expiry is given either as {@code expiresIn}, an ISO-8601 duration from now ({@code PT48H}), or as
 * {@code expiresAt}, a local date-time in America/Lima without offset ({@code 2026-03-03T18:00:00}), the
 * payer's own clock; exactly one of them. It must fall between {@link #MINIMUM_EXPIRY} and
 * {@link #MAXIMUM_EXPIRY} from now, and is kept to the second.
 *
 * <p>An optional {@code payer} object adds the risk signals a CIP body has no field for (IP, its country,
 * device, time zone); see {@link PayerFields}.
 */
public final class CipRequestValidator {

    public static final String DOCUMENT_TYPE = "documentType";
    public static final String DOCUMENT_NUMBER = "documentNumber";
    public static final String EMAIL = "email";
    public static final String PHONE = "phone";
    public static final String AMOUNT = "amount";
    public static final String CURRENCY = "currency";
    public static final String EXPIRES_IN = "expiresIn";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String MERCHANT_REFERENCE = "merchantReference";
    /** Optional: the payer's IP, device and time zone (document and email are the fields above). */
    public static final String PAYER = PayerFields.PAYER;

    /** PagoEfectivo collects in soles only. */
    public static final String CURRENCY_PEN = "PEN";
    /** Long enough for a payer to reach an agent; shorter codes would mostly expire unpaid. */
    public static final Duration MINIMUM_EXPIRY = Duration.ofMinutes(15);
    /** A code outstanding longer holds the merchant's stock and the payer's limits for too long. */
    public static final Duration MAXIMUM_EXPIRY = Duration.ofDays(30);

    private static final Set<String> FIELDS = Set.of(DOCUMENT_TYPE, DOCUMENT_NUMBER, EMAIL, PHONE, AMOUNT, CURRENCY,
            EXPIRES_IN, EXPIRES_AT, MERCHANT_REFERENCE, PAYER);
    private static final int MAXIMUM_TEXT_LENGTH = 64;

    private final Clock clock;

    public CipRequestValidator(Clock clock) {
        this.clock = clock;
    }

    public Validation<ValidCipRequest> validate(Map<String, ?> body) {
        FieldReader fields = FieldReader.of(body);
        fields.refuseUnknown(FIELDS);
        DocumentType documentType = fields.requiredEnum(DOCUMENT_TYPE, DocumentType.class);
        String documentNumber = documentNumber(fields, documentType);
        String email = fields.requiredMatching(EMAIL, FieldReader.EMAIL, FieldReader.EMAIL_RULE);
        String phone = fields.requiredMatching(PHONE, FieldReader.E164, FieldReader.E164_RULE);
        String currency = currency(fields);
        Long amountMinor = fields.amountMinor(AMOUNT, currency);
        Instant expiresAt = expiresAt(fields, clock.instant());
        String merchantReference = fields.requiredMatching(MERCHANT_REFERENCE, FieldReader.REFERENCE,
                FieldReader.REFERENCE_RULE);
        Payer payer = PayerFields.readWithoutIdentity(fields);
        return Validation.of(fields.errors(), () -> new ValidCipRequest(documentType, documentNumber, email, phone,
                amountMinor, currency, expiresAt, merchantReference, payer));
    }

    private static String documentNumber(FieldReader fields, DocumentType documentType) {
        String number = fields.requiredString(DOCUMENT_NUMBER);
        if (number == null || documentType == null) {
            return null;
        }
        if (!documentType.accepts(number)) {
            fields.refuse(DOCUMENT_NUMBER, documentType.rule());
            return null;
        }
        return number;
    }

    /** Optional, and PEN when given: a CIP in another currency cannot be paid. */
    private static String currency(FieldReader fields) {
        if (!fields.has(CURRENCY)) {
            return CURRENCY_PEN;
        }
        String currency = fields.requiredString(CURRENCY);
        if (currency != null && !CURRENCY_PEN.equals(currency)) {
            fields.refuse(CURRENCY, "must be PEN: CIP payments are collected in soles");
            return null;
        }
        return currency;
    }

    private static Instant expiresAt(FieldReader fields, Instant now) {
        boolean hasDuration = fields.has(EXPIRES_IN);
        boolean hasLocalTime = fields.has(EXPIRES_AT);
        if (hasDuration == hasLocalTime) {
            fields.refuse(EXPIRES_IN, "give exactly one of expiresIn (an ISO-8601 duration such as PT48H) or "
                    + "expiresAt (a local date-time in America/Lima such as 2026-03-03T18:00:00)");
            return null;
        }
        Instant expiresAt = hasDuration ? fromDuration(fields, now) : fromLocalTime(fields);
        if (expiresAt == null) {
            return null;
        }
        String field = hasDuration ? EXPIRES_IN : EXPIRES_AT;
        if (expiresAt.isBefore(now.plus(MINIMUM_EXPIRY)) || expiresAt.isAfter(now.plus(MAXIMUM_EXPIRY))) {
            fields.refuse(field, "must put the expiry between 15 minutes and 30 days from now");
            return null;
        }
        return expiresAt.truncatedTo(ChronoUnit.SECONDS);
    }

    private static Instant fromDuration(FieldReader fields, Instant now) {
        String text = fields.text(EXPIRES_IN, true, MAXIMUM_TEXT_LENGTH);
        if (text == null) {
            return null;
        }
        try {
            return now.plus(Duration.parse(text));
        } catch (DateTimeParseException | ArithmeticException e) {
            fields.refuse(EXPIRES_IN, "must be an ISO-8601 duration such as PT48H or P2D");
            return null;
        }
    }

    private static Instant fromLocalTime(FieldReader fields) {
        String text = fields.text(EXPIRES_AT, true, MAXIMUM_TEXT_LENGTH);
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text).atZone(CipTime.ZONE).toInstant();
        } catch (DateTimeParseException e) {
            fields.refuse(EXPIRES_AT, "must be a local date-time in America/Lima without offset, such as "
                    + "2026-03-03T18:00:00");
            return null;
        }
    }
}
