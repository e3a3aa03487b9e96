package dev.ngao.reconciler.matching;

/**
 * Decides what becomes of an open item, as pure functions of what it holds and the time, so that the
 * rules are tested apart from Kafka Streams.
 */
final class MatchingRules {

    private MatchingRules() {
    }

    /**
     * When a record has just been added: an item with both halves is settled at once; an item with one
     * half waits, and so does a posting of a transaction still in review, whose analyst's approval may be
     * on its way (the ledger posts on that approval, and the two topics arrive in no fixed order).
     */
    static Verdict onArrival(OpenItem item) {
        if (!item.hasDecision() || !item.hasPostings()) {
            return Verdict.OPEN;
        }
        if (item.decision().inReview()) {
            return Verdict.OPEN;
        }
        if (!item.decision().approved()) {
            return Verdict.POSTED_NOT_APPROVED;
        }
        return item.postings().agreeWith(item.decision().amount()) ? Verdict.MATCHED : Verdict.AMOUNT_MISMATCH;
    }

    /**
     * At a wall-clock check: an item with one half whose grace period has run out is settled without
     * the other. The grace counts from when the half was seen, but never from before {@code notBeforeMs}
     * (when this task started): after a restart or a move, the backlog of the other topic is read before
     * anything is given up as missing.
     */
    static Verdict onExpiry(OpenItem item, long nowMs, long gracePeriodMs, long notBeforeMs) {
        Verdict onArrival = onArrival(item);
        if (onArrival != Verdict.OPEN) {
            return onArrival;
        }
        if (item.hasPostings()) {
            return expired(item.postings().seenAtMs(), nowMs, gracePeriodMs, notBeforeMs)
                    ? Verdict.POSTED_NOT_APPROVED : Verdict.OPEN;
        }
        if (item.hasDecision() && expired(item.decision().seenAtMs(), nowMs, gracePeriodMs, notBeforeMs)) {
            return item.decision().approved() ? Verdict.APPROVED_NOT_POSTED : Verdict.NOTHING_OWED;
        }
        return Verdict.OPEN;
    }

    private static boolean expired(long seenAtMs, long nowMs, long gracePeriodMs, long notBeforeMs) {
        return nowMs - Math.max(seenAtMs, notBeforeMs) >= gracePeriodMs;
    }
}
