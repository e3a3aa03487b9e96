package dev.ngao.ingest.status;

import dev.ngao.events.Outcome;

/** Where a payment stands as the merchant sees it. */
public enum PaymentState {
    PENDING,
    APPROVED,
    DECLINED,
    IN_REVIEW,
    /** Risk asked for a step-up verification of the payer: the merchant posts its result (or it expires). */
    CHALLENGE_REQUIRED;

    public static PaymentState of(Outcome outcome) {
        return switch (outcome) {
            case APPROVE -> APPROVED;
            case DECLINE -> DECLINED;
            case REVIEW -> IN_REVIEW;
            case CHALLENGE -> CHALLENGE_REQUIRED;
        };
    }
}
