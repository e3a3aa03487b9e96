package dev.ngao.ingest.challenge;

import dev.ngao.events.Outcome;

/** The result of the payer's step-up verification (an OTP) as the merchant reports it, and what it decides. */
public enum ChallengeVerification {
    /** The payer passed: the payment is approved. */
    PASSED(Outcome.APPROVE),
    /** The payer failed: the payment is declined. */
    FAILED(Outcome.DECLINE);

    private final Outcome outcome;

    ChallengeVerification(Outcome outcome) {
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }
}
