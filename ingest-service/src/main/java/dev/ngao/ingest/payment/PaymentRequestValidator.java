package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentType;
import dev.ngao.ingest.audit.PiiScrubber;
import dev.ngao.ingest.http.FieldError;
import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.payer.Payer;
import dev.ngao.ingest.payer.PayerFields;
import dev.ngao.platform.money.Amounts;
import dev.ngao.platform.money.InvalidAmountException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules of a {@code POST /v1/payments} body, on the parsed JSON object as a plain map so they are
 * tested without an HTTP server. Every field is checked and every failure reported at once; messages
 * describe the rule and never echo the value (an MSISDN is PII). Amounts are decimal strings: a JSON
 * number would already have passed through a double, which money never does.
 */
public final class PaymentRequestValidator {

    public static final String TYPE = "type";
    public static final String AMOUNT = "amount";
    public static final String CURRENCY = "currency";
    public static final String MSISDN = "msisdn";
    public static final String OPERATOR = "operator";
    public static final String COUNTRY = "country";
    public static final String MERCHANT_REFERENCE = "merchantReference";
    /** Optional: the payer's risk signals, see {@link PayerFields}. */
    public static final String PAYER = PayerFields.PAYER;

    /** Every field a body may have; any other is refused rather than silently ignored. */
    public static final Set<String> FIELDS = Set.of(TYPE, AMOUNT, CURRENCY, MSISDN, OPERATOR, COUNTRY, MERCHANT_REFERENCE,
            PAYER);
    /** Unknown fields named in one answer at most: a body of thousands of them gets a bounded answer. */
    static final int MAXIMUM_UNKNOWN_FIELDS_REPORTED = FieldReader.MAXIMUM_UNKNOWN_FIELDS_REPORTED;
    /** The name an unknown field is reported under when its own name is not a plain identifier. */
    static final String UNPRINTABLE_FIELD = FieldReader.UNPRINTABLE_FIELD;

    /** The payment types this endpoint takes for now: mobile money in and out. */
    static final Set<PaymentType> ACCEPTED_TYPES = Set.of(PaymentType.MOBILE_MONEY_COLLECTION, PaymentType.MOBILE_MONEY_PAYOUT);

    /** E.164: a plus, a country code that does not start with 0, at most 15 digits in all (8 at least here). */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");
    /** Unknown field names are echoed only when they are plain identifiers: never a caller's PII or control characters. */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
    private static final Pattern MERCHANT_REFERENCE_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Set<String> OPERATORS = Arrays.stream(MobileMoneyOperator.values())
            .map(Enum::name).collect(Collectors.toUnmodifiableSet());

    /** The outcome of validation: either a valid request or the list of refused fields. */
    public sealed interface Result permits Valid, Invalid {
    }

    public record Valid(ValidPaymentRequest request) implements Result {
    }

    public record Invalid(List<FieldError> errors) implements Result {
    }

    public Result validate(Map<String, ?> body) {
        List<FieldError> errors = new ArrayList<>(unknownFields(body.keySet()));
        PaymentType type = type(body.get(TYPE), errors);
        String currency = currency(body.get(CURRENCY), errors);
        long amountMinor = amountMinor(body.get(AMOUNT), currency, errors);
        String msisdn = matching(body.get(MSISDN), MSISDN, E164,
                "must be an E.164 number: + then 8 to 15 digits, no spaces", errors);
        String operator = oneOf(body.get(OPERATOR), OPERATOR, OPERATORS, "must be one of " + sorted(OPERATORS), errors);
        String country = oneOf(body.get(COUNTRY), COUNTRY, COUNTRIES,
                "must be an ISO-3166 alpha-2 country code in upper case, such as KE", errors);
        String merchantReference = matching(body.get(MERCHANT_REFERENCE), MERCHANT_REFERENCE,
                MERCHANT_REFERENCE_PATTERN, "must be 1 to 64 characters among A-Z a-z 0-9 . _ -", errors);
        FieldReader payerFields = FieldReader.of(body);
        Payer payer = PayerFields.read(payerFields);
        errors.addAll(payerFields.errors());
        if (!errors.isEmpty()) {
            return new Invalid(List.copyOf(errors));
        }
        return new Valid(new ValidPaymentRequest(type, amountMinor, currency, msisdn,
                MobileMoneyOperator.valueOf(operator), country, merchantReference, payer));
    }

    /** A field the API does not know is refused: a misspelt optional field must not be dropped unnoticed. */
    private static List<FieldError> unknownFields(Set<String> names) {
        List<String> unknown = names.stream().filter(name -> !FIELDS.contains(name)).sorted().toList();
        return unknown.stream()
                .limit(MAXIMUM_UNKNOWN_FIELDS_REPORTED)
                .map(name -> new FieldError(printable(name) ? name : UNPRINTABLE_FIELD,
                        "is not a known field; known fields are " + sorted(FIELDS)))
                .distinct()
                .toList();
    }

    private static boolean printable(String name) {
        return FIELD_NAME.matcher(name).matches() && !PiiScrubber.looksLikePii(name);
    }

    private static PaymentType type(Object value, List<FieldError> errors) {
        String text = requiredString(value, TYPE, errors);
        if (text == null) {
            return null;
        }
        for (PaymentType type : ACCEPTED_TYPES) {
            if (type.name().equals(text)) {
                return type;
            }
        }
        errors.add(new FieldError(TYPE, "must be one of " + sorted(ACCEPTED_TYPES.stream().map(Enum::name).toList())));
        return null;
    }

    private static String currency(Object value, List<FieldError> errors) {
        String code = requiredString(value, CURRENCY, errors);
        if (code == null) {
            return null;
        }
        try {
            return Amounts.currency(code).getCurrencyCode();
        } catch (InvalidAmountException e) {
            errors.add(new FieldError(CURRENCY, "must be an ISO-4217 currency code in upper case, such as KES"));
            return null;
        }
    }

    /** Converted only when the currency is known ({@code currency} not null): it decides how many decimals are allowed. */
    private static long amountMinor(Object value, String currency, List<FieldError> errors) {
        if (value instanceof Number) {
            errors.add(new FieldError(AMOUNT, "must be a decimal string such as \"1500.50\", not a JSON number"));
            return 0;
        }
        String text = requiredString(value, AMOUNT, errors);
        if (text == null || currency == null) {
            return 0;
        }
        try {
            return Amounts.toMinorUnits(text, currency);
        } catch (InvalidAmountException e) {
            errors.add(new FieldError(AMOUNT, e.getMessage()));
            return 0;
        }
    }

    private static String matching(Object value, String field, Pattern pattern, String rule, List<FieldError> errors) {
        String text = requiredString(value, field, errors);
        if (text != null && !pattern.matcher(text).matches()) {
            errors.add(new FieldError(field, rule));
            return null;
        }
        return text;
    }

    private static String oneOf(Object value, String field, Set<String> allowed, String rule, List<FieldError> errors) {
        String text = requiredString(value, field, errors);
        if (text != null && !allowed.contains(text)) {
            errors.add(new FieldError(field, rule));
            return null;
        }
        return text;
    }

    private static String requiredString(Object value, String field, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        if (!(value instanceof String text)) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return text;
    }

    private static String sorted(java.util.Collection<String> values) {
        return values.stream().sorted().collect(Collectors.joining(", "));
    }
}
