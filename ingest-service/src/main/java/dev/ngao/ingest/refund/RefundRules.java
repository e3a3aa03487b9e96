package dev.ngao.ingest.refund;

import dev.ngao.events.PaymentType;
import dev.ngao.ingest.status.PaymentState;
import dev.ngao.ingest.status.PaymentStatus;
import dev.ngao.platform.money.Amounts;

import java.util.Optional;
import java.util.Set;

/**
 * Whether an original transaction can take a refund: it must be money the merchant received (a collection, a
 * paid CIP, a card authorization), approved, in the same currency, and the refund must fit in what is left
 * after earlier refunds. The caller has already checked the original exists and is the merchant's.
 */
public final class RefundRules {

    static final Set<PaymentType> REFUNDABLE_TYPES =
            Set.of(PaymentType.MOBILE_MONEY_COLLECTION, PaymentType.CIP_PAYMENT, PaymentType.CARD_AUTHORIZATION);

    /** Why a refund is refused: an HTTP status, a problem type, and the field it concerns. */
    public record Refusal(int status, String type, String field, String message) {
    }

    private RefundRules() {
    }

    public static Optional<Refusal> check(PaymentStatus original, RefundRequest refund, long refundedMinor) {
        if (!REFUNDABLE_TYPES.contains(original.type())) {
            return Optional.of(new Refusal(422, "validation-failed", RefundRequestValidator.ORIGINAL_TRANSACTION_ID,
                    "a " + original.type() + " cannot be refunded; only collections, CIP payments and card "
                            + "authorizations can"));
        }
        if (original.state() != PaymentState.APPROVED) {
            return Optional.of(new Refusal(409, "not-refundable", RefundRequestValidator.ORIGINAL_TRANSACTION_ID,
                    "the original transaction is " + original.state() + "; only an APPROVED one can be refunded"));
        }
        if (!original.currency().equals(refund.currency())) {
            return Optional.of(new Refusal(422, "validation-failed", RefundRequestValidator.CURRENCY,
                    "must be the original transaction's currency, " + original.currency()));
        }
        long remainingMinor = original.amountMinor() - refundedMinor;
        if (refund.amountMinor() > remainingMinor) {
            return Optional.of(exceeds(original, remainingMinor));
        }
        return Optional.empty();
    }

    /** The refusal of an amount above what is left to refund. */
    public static Refusal exceeds(PaymentStatus original, long remainingMinor) {
        return new Refusal(422, "refund-exceeds-original", RefundRequestValidator.AMOUNT,
                "must not exceed what is left to refund of the original, "
                        + Amounts.toDecimalText(Math.max(0, remainingMinor), original.currency()) + " "
                        + original.currency());
    }
}
