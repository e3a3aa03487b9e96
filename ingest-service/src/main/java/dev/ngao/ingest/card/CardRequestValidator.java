package dev.ngao.ingest.card;

import dev.ngao.events.SpendingControls;
import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.http.Validation;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules of the card routes' bodies, on parsed JSON objects as plain maps. Every field is checked and
 * every failure reported at once; unknown fields are refused; messages never echo a value.
 */
public final class CardRequestValidator {

    public static final String CARDHOLDER_REFERENCE = "cardholderReference";
    public static final String KYC_STATUS = "kycStatus";
    public static final String CURRENCY = "currency";
    public static final String SPENDING_CONTROLS = "spendingControls";
    public static final String AMOUNT = "amount";
    public static final String MERCHANT_REFERENCE = "merchantReference";
    public static final String REASON = "reason";
    public static final String CARD_ID = "cardId";
    public static final String MERCHANT_CATEGORY_CODE = "merchantCategoryCode";
    public static final String MERCHANT_COUNTRY = "merchantCountry";
    public static final String NETWORK_REFERENCE = "networkReference";

    /** card_ then 32 lower-case hex digits, as {@link CardEvents#newCardId()} makes them. */
    public static final Pattern CARD_ID_FORMAT = Pattern.compile("card_[0-9a-f]{32}");
    static final int MAXIMUM_REASON_LENGTH = 200;

    private static final Set<String> ISSUE_FIELDS = Set.of(CARDHOLDER_REFERENCE, KYC_STATUS, CURRENCY, SPENDING_CONTROLS);
    private static final Set<String> LOAD_FIELDS = Set.of(AMOUNT, CURRENCY, MERCHANT_REFERENCE);
    private static final Set<String> STATE_CHANGE_FIELDS = Set.of(REASON);
    private static final Set<String> AUTHORIZATION_FIELDS = Set.of(CARD_ID, AMOUNT, CURRENCY, MERCHANT_CATEGORY_CODE,
            MERCHANT_COUNTRY, NETWORK_REFERENCE);

    /**
     * {@code POST /v1/cards}. A KYC status other than VERIFIED is valid here (the route answers it with its own
     * problem); an unknown one is not.
     */
    public Validation<CardRequests.Issue> validateIssue(Map<String, ?> body) {
        FieldReader fields = FieldReader.of(body);
        fields.refuseUnknown(ISSUE_FIELDS);
        String cardholderReference = fields.requiredMatching(CARDHOLDER_REFERENCE, FieldReader.REFERENCE,
                FieldReader.REFERENCE_RULE);
        KycStatus kycStatus = fields.requiredEnum(KYC_STATUS, KycStatus.class);
        String currency = fields.currency(CURRENCY);
        FieldReader controlsFields = fields.optionalObject(SPENDING_CONTROLS);
        SpendingControls controls = controlsFields == null ? null : SpendingControlsValidator.read(controlsFields);
        return Validation.of(fields.errors(),
                () -> new CardRequests.Issue(cardholderReference, kycStatus, currency, controls));
    }

    /** {@code POST /v1/cards/{cardId}/loads}: the amount in the card's own currency. */
    public Validation<CardRequests.Load> validateLoad(Map<String, ?> body, String cardCurrency) {
        FieldReader fields = FieldReader.of(body);
        fields.refuseUnknown(LOAD_FIELDS);
        String currency = cardCurrency(fields, cardCurrency);
        Long amountMinor = fields.amountMinor(AMOUNT, currency);
        String merchantReference = fields.requiredMatching(MERCHANT_REFERENCE, FieldReader.REFERENCE,
                FieldReader.REFERENCE_RULE);
        return Validation.of(fields.errors(), () -> new CardRequests.Load(amountMinor, currency, merchantReference));
    }

    /** Freeze and unfreeze: an optional reason. */
    public Validation<CardRequests.StateChange> validateStateChange(Map<String, ?> body) {
        FieldReader fields = FieldReader.of(body);
        fields.refuseUnknown(STATE_CHANGE_FIELDS);
        String reason = fields.text(REASON, false, MAXIMUM_REASON_LENGTH);
        return Validation.of(fields.errors(), () -> new CardRequests.StateChange(reason));
    }

    /**
     * {@code POST /v1/card-authorizations}. The currency is checked against the card's by the route, once the
     * card is found.
     */
    public Validation<CardRequests.Authorization> validateAuthorization(Map<String, ?> body) {
        FieldReader fields = FieldReader.of(body);
        fields.refuseUnknown(AUTHORIZATION_FIELDS);
        String cardId = fields.requiredMatching(CARD_ID, CARD_ID_FORMAT, "must be a card id such as card_ then 32 "
                + "hexadecimal digits");
        String currency = fields.currency(CURRENCY);
        Long amountMinor = fields.amountMinor(AMOUNT, currency);
        String category = fields.requiredMatching(MERCHANT_CATEGORY_CODE,
                SpendingControlsValidator.MERCHANT_CATEGORY_CODE, SpendingControlsValidator.MERCHANT_CATEGORY_RULE);
        String country = fields.country(MERCHANT_COUNTRY, true);
        String networkReference = fields.requiredMatching(NETWORK_REFERENCE, FieldReader.REFERENCE,
                FieldReader.REFERENCE_RULE);
        return Validation.of(fields.errors(), () -> new CardRequests.Authorization(cardId, amountMinor, currency,
                category, country, networkReference));
    }

    /** The currency named in the body must be the card's: a card holds one currency. */
    private static String cardCurrency(FieldReader fields, String cardCurrency) {
        String currency = fields.currency(CURRENCY);
        if (currency != null && !currency.equals(cardCurrency)) {
            fields.refuse(CURRENCY, notCardCurrency(cardCurrency));
            return null;
        }
        return currency;
    }

    /** The rule message of a currency that is not the card's, for the routes' own check. */
    public static String notCardCurrency(String cardCurrency) {
        return "must be the card's currency, " + cardCurrency;
    }
}
