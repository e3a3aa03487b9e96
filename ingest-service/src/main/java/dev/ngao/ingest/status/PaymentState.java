package dev.ngao.ingest.status;

import dev.ngao.events.Outcome;

/** Where a payment stands as the merchant sees it. */
public enum PaymentState {
    PENDING,
    APPROVED,
    DECLINED,
    IN_REVIEW;

    public static PaymentState of(Outcome outcome) {
        return switch (outcome) {
            case APPROVE -> APPROVED;
            case DECLINE -> DECLINED;
            case REVIEW -> IN_REVIEW;
        };
    }
}
