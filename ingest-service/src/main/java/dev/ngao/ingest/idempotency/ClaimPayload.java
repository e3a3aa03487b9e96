package dev.ngao.ingest.idempotency;

import java.util.Arrays;
import java.util.Objects;

/**
 * What an accepting claim carries besides its fingerprint: the id of what it accepted (a transaction id) and
 * that thing itself, sealed (encrypted and authenticated, see {@code payment.SealedPaymentRequests}). A claim
 * that carries its payload is final once it is first in the log: there is no completion to wait for, and
 * any instance can finish the work from the payload if the writer dies. On Kafka it travels as two record
 * headers, {@link #SUBJECT_HEADER} and {@link #CONTENT_HEADER}: {@code IdempotencyRecord} itself is unchanged.
 */
public record ClaimPayload(String subjectId, byte[] sealedContent) {

    public static final String SUBJECT_HEADER = "ngao-accepted-id";
    public static final String CONTENT_HEADER = "ngao-accepted-content";

    public ClaimPayload {
        Objects.requireNonNull(subjectId, "subjectId");
        sealedContent = sealedContent.clone();
    }

    @Override
    public byte[] sealedContent() {
        return sealedContent.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClaimPayload payload && subjectId.equals(payload.subjectId)
                && Arrays.equals(sealedContent, payload.sealedContent);
    }

    @Override
    public int hashCode() {
        return 31 * subjectId.hashCode() + Arrays.hashCode(sealedContent);
    }

    @Override
    public String toString() {
        // The content is sealed, but its length is all a log needs.
        return "ClaimPayload[" + subjectId + ", " + sealedContent.length + " bytes]";
    }
}
