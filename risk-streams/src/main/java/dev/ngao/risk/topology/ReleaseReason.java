package dev.ngao.risk.topology;

/**
 * Why a reservation is released; written into release commands for the logs and the history. A decline
 * reserved nothing, so it releases nothing.
 */
enum ReleaseReason {
    PROVIDER_FAILED,
    PROVIDER_EXPIRED,
    PROVIDER_REVERSED,
    /** A refund of the transaction, up to its amount. */
    REFUNDED,
    /** An analyst declined the transaction in review. */
    REVIEW_DECLINED,
    /** The card network was answered DECLINE (the timeout default, or a review) for what risk approved or held. */
    NETWORK_DECLINED,
    /** The ledger refused the approved payment for want of funds: it never moved money. */
    LEDGER_REFUSED,
    /** The payer failed the step-up verification of a CHALLENGE. */
    CHALLENGE_FAILED,
    /** No result of a CHALLENGE's verification came before it expired. */
    CHALLENGE_EXPIRED
}
