package dev.ngao.notifier;

/**
 * The statuses a merchant is told about: the last word on a transaction. DECLINED comes from risk
 * (an initial decision or a review resolution); the others from the provider. REVERSED can follow
 * SUCCEEDED, and is then a second notification.
 */
public enum FinalStatus {
    DECLINED,
    SUCCEEDED,
    FAILED,
    EXPIRED,
    REVERSED
}
