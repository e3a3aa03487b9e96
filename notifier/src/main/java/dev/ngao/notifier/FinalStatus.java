package dev.ngao.notifier;

/**
 * The statuses a merchant is told about: the last word on a transaction. DECLINED comes from risk
 * (an initial decision, a review resolution or a challenge's result); the others from the provider. REVERSED
 * can follow SUCCEEDED, and is then a second notification. CHALLENGE_REQUIRED is the one status that is not
 * final: risk asks the merchant to verify the payer (a step-up) and post the result, so it is told at once;
 * the final status follows it.
 */
public enum FinalStatus {
    DECLINED,
    SUCCEEDED,
    FAILED,
    EXPIRED,
    REVERSED,
    CHALLENGE_REQUIRED
}
