package dev.ngao.risk.topology;

/** Why a reservation is released; written into release commands for the logs and the history. */
enum ReleaseReason {
    /** The decision declined (a rule of another stage blocked, or the stage timeout declined). */
    DECLINED,
    PROVIDER_FAILED,
    PROVIDER_EXPIRED,
    PROVIDER_REVERSED,
    /** A refund of the transaction, up to its amount. */
    REFUNDED,
    /** An analyst declined the transaction in review. */
    REVIEW_DECLINED
}
