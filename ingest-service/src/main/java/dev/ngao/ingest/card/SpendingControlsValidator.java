package dev.ngao.ingest.card;

import dev.ngao.events.SpendingControls;
import dev.ngao.events.SpendingInterval;
import dev.ngao.events.SpendingLimit;
import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.http.Validation;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of a card's spending controls, Stripe-Issuing-like: at most one limit per interval, in whole minor
 * units of the card currency; allowed or blocked merchant categories (4-digit MCC, ISO 18245) and merchant
 * countries (ISO-3166 alpha-2), where an allow list and a block list of the same kind exclude each other
 * (with an allow list, everything else is blocked already).
 */
public final class SpendingControlsValidator {

    public static final String SPENDING_LIMITS = "spendingLimits";
    public static final String INTERVAL = "interval";
    public static final String AMOUNT_MINOR = "amountMinor";
    public static final String ALLOWED_CATEGORIES = "allowedCategories";
    public static final String BLOCKED_CATEGORIES = "blockedCategories";
    public static final String ALLOWED_COUNTRIES = "allowedCountries";
    public static final String BLOCKED_COUNTRIES = "blockedCountries";

    /** A limit above 10^15 minor units is no limit; refusing it catches unit mistakes. */
    public static final long MAXIMUM_LIMIT_MINOR = 1_000_000_000_000_000L;
    static final int MAXIMUM_CATEGORIES = 500;
    static final int MAXIMUM_COUNTRIES = 250;

    static final Pattern MERCHANT_CATEGORY_CODE = Pattern.compile("[0-9]{4}");
    static final String MERCHANT_CATEGORY_RULE = "must be a 4-digit merchant category code such as 5411";
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Set<String> FIELDS = Set.of(SPENDING_LIMITS, ALLOWED_CATEGORIES, BLOCKED_CATEGORIES,
            ALLOWED_COUNTRIES, BLOCKED_COUNTRIES);
    private static final Set<String> LIMIT_FIELDS = Set.of(INTERVAL, AMOUNT_MINOR);
    private static final Set<SpendingInterval> INTERVALS = EnumSet.complementOf(EnumSet.of(SpendingInterval.UNKNOWN));

    /** A body that is the controls themselves ({@code PUT /v1/cards/{cardId}/spending-controls}). */
    public Validation<SpendingControls> validate(Map<String, ?> body) {
        FieldReader fields = FieldReader.of(body);
        SpendingControls controls = read(fields);
        return Validation.of(fields.errors(), () -> controls);
    }

    /** Reads the controls from {@code fields}, reporting into its errors; the result is meaningful only without errors. */
    static SpendingControls read(FieldReader fields) {
        fields.refuseUnknown(FIELDS);
        List<SpendingLimit> limits = limits(fields);
        List<String> allowedCategories = fields.stringList(ALLOWED_CATEGORIES, MERCHANT_CATEGORY_CODE,
                MERCHANT_CATEGORY_RULE, MAXIMUM_CATEGORIES);
        List<String> blockedCategories = fields.stringList(BLOCKED_CATEGORIES, MERCHANT_CATEGORY_CODE,
                MERCHANT_CATEGORY_RULE, MAXIMUM_CATEGORIES);
        List<String> allowedCountries = countries(fields, ALLOWED_COUNTRIES);
        List<String> blockedCountries = countries(fields, BLOCKED_COUNTRIES);
        if (!allowedCategories.isEmpty() && !blockedCategories.isEmpty()) {
            fields.refuse(BLOCKED_CATEGORIES, "cannot be set together with allowedCategories");
        }
        if (!allowedCountries.isEmpty() && !blockedCountries.isEmpty()) {
            fields.refuse(BLOCKED_COUNTRIES, "cannot be set together with allowedCountries");
        }
        return new SpendingControls(limits, allowedCategories, blockedCategories, allowedCountries, blockedCountries);
    }

    private static List<SpendingLimit> limits(FieldReader fields) {
        List<SpendingLimit> limits = new ArrayList<>();
        Set<SpendingInterval> seen = EnumSet.noneOf(SpendingInterval.class);
        List<FieldReader> items = fields.objectList(SPENDING_LIMITS, false, INTERVALS.size());
        for (int index = 0; index < items.size(); index++) {
            FieldReader item = items.get(index);
            item.refuseUnknown(LIMIT_FIELDS);
            SpendingInterval interval = item.requiredEnum(INTERVAL, SpendingInterval.class, INTERVALS);
            Long amountMinor = item.positiveWholeNumber(AMOUNT_MINOR, MAXIMUM_LIMIT_MINOR);
            if (interval != null && !seen.add(interval)) {
                item.refuse(INTERVAL, "repeats an interval: give at most one limit per interval");
            }
            if (interval != null && amountMinor != null) {
                limits.add(new SpendingLimit(interval, amountMinor));
            }
        }
        return limits;
    }

    private static List<String> countries(FieldReader fields, String field) {
        List<String> countries = fields.stringList(field, COUNTRY, FieldReader.COUNTRY_RULE, MAXIMUM_COUNTRIES);
        List<String> known = new ArrayList<>();
        for (String country : countries) {
            if (FieldReader.COUNTRIES.contains(country)) {
                known.add(country);
            } else {
                fields.refuse(field, FieldReader.COUNTRY_RULE);
            }
        }
        return known;
    }
}
