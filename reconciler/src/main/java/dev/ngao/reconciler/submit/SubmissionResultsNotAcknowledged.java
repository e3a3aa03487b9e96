package dev.ngao.reconciler.submit;

/**
 * Kafka did not acknowledge a poll's submission results (the broker away longer than the producer's
 * {@code max.block.ms} or delivery timeout, say). Not the end of the dispatcher: the poll is read again after a
 * back-off and its calls repeated with the same idempotency keys, so the provider answers with the payments it
 * already took, until the results are recorded.
 */
public final class SubmissionResultsNotAcknowledged extends RuntimeException {

    public SubmissionResultsNotAcknowledged(Throwable cause) {
        super("submission results not acknowledged: " + cause, cause);
    }
}
