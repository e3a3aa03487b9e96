package dev.ngao.ingest.refund;

import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.http.Validation;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules of a {@code POST /v1/refunds} body on its own, before the original transaction is looked at. */
public final class RefundRequestValidator {

    public static final String ORIGINAL_TRANSACTION_ID = "originalTransactionId";
    public static final String AMOUNT = "amount";
    public static final String CURRENCY = "currency";
    public static final String REASON = "reason";
    public static final String MERCHANT_REFERENCE = "merchantReference";

    /** Transaction ids as ingest-service issues them. */
    static final Pattern TRANSACTION_ID = Pattern.compile("txn_[0-9a-f]{32}");
    private static final Set<String> FIELDS = Set.of(ORIGINAL_TRANSACTION_ID, AMOUNT, CURRENCY, REASON,
            MERCHANT_REFERENCE);

    public Validation<RefundRequest> validate(Map<String, ?> body) {
        FieldReader fields = FieldReader.of(body);
        fields.refuseUnknown(FIELDS);
        String originalTransactionId = fields.requiredMatching(ORIGINAL_TRANSACTION_ID, TRANSACTION_ID,
                "must be a transaction id such as txn_ then 32 hexadecimal digits");
        String currency = fields.currency(CURRENCY);
        Long amountMinor = fields.amountMinor(AMOUNT, currency);
        RefundReason reason = fields.requiredEnum(REASON, RefundReason.class);
        String merchantReference = fields.optionalMatching(MERCHANT_REFERENCE, FieldReader.REFERENCE,
                FieldReader.REFERENCE_RULE);
        return Validation.of(fields.errors(), () -> new RefundRequest(originalTransactionId, amountMinor, currency,
                reason, merchantReference));
    }
}
