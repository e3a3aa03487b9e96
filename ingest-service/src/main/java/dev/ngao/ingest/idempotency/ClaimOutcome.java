package dev.ngao.ingest.idempotency;

/** What a claim on a key came to. */
public sealed interface ClaimOutcome {

    /** This request owns the key: it does the work and completes or releases the claim. */
    record Won(ClaimTicket ticket) implements ClaimOutcome {
    }

    /** The key was answered before; {@code sameRequest} tells whether the fingerprints match. */
    record Replay(RecordedAnswer answer, boolean sameRequest) implements ClaimOutcome {
    }

    /**
     * A claim carrying its payload holds the key: the request it accepted, {@code subjectId}, is final, and
     * a retry ({@code sameRequest}) is answered from it.
     */
    record Accepted(String subjectId, boolean sameRequest) implements ClaimOutcome {
    }

    /** Another request owns the key and has not answered yet. */
    record InProgress(boolean sameRequest) implements ClaimOutcome {
    }

    /** This instance cannot judge the key: its table is saturated, see {@link ClaimTable#saturatedAt}. */
    record Undecidable() implements ClaimOutcome {
    }
}
