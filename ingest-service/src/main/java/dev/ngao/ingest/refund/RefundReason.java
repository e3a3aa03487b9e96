package dev.ngao.ingest.refund;

/** Why a merchant refunds; a closed list, so no free text (and no PII) rides on a refund event. */
public enum RefundReason {
    DUPLICATE,
    FRAUDULENT,
    REQUESTED_BY_CUSTOMER,
    OTHER
}
