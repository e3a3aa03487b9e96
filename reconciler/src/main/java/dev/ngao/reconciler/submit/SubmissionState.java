package dev.ngao.reconciler.submit;

/**
 * Where one transaction's submission stands, kept in the {@code submit-state} store as a short text
 * ({@code PHASE|attempts|nextAttemptAtMs|sinceMs}) so a restored changelog reads the same on any version.
 */
record SubmissionState(Phase phase, int attempts, long nextAttemptAtMs, long sinceMs) {

    enum Phase {
        /** Approved before its request was read: submitted when the request comes. */
        AWAITING_REQUEST,
        /** Intent {@code attempts} written; waiting for the dispatcher's result of it. */
        SUBMITTING,
        /** A submission failed retryably; its next intent is written at {@code nextAttemptAtMs}. */
        RETRYING,
        /** Submitted, declined, or given up on: nothing more is sent for this transaction. */
        DONE
    }

    static SubmissionState awaitingRequest(long nowMs) {
        return new SubmissionState(Phase.AWAITING_REQUEST, 0, 0, nowMs);
    }

    static SubmissionState submitting(int attempts, long nowMs) {
        return new SubmissionState(Phase.SUBMITTING, attempts, 0, nowMs);
    }

    static SubmissionState done(int attempts, long nowMs) {
        return new SubmissionState(Phase.DONE, attempts, 0, nowMs);
    }

    String encode() {
        return phase.name() + "|" + attempts + "|" + nextAttemptAtMs + "|" + sinceMs;
    }

    static SubmissionState decode(String text) {
        String[] parts = text.split("\\|", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a submission state: " + text);
        }
        return new SubmissionState(Phase.valueOf(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]),
                Long.parseLong(parts[3]));
    }
}
