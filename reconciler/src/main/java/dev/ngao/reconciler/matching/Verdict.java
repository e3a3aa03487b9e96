package dev.ngao.reconciler.matching;

import dev.ngao.events.BreakKind;

/** What becomes of an open item. Every verdict but {@link #OPEN} removes it from the store. */
enum Verdict {
    /** Still waiting for its other half. */
    OPEN(null),
    /** An approval and its entry agree: nothing to report. */
    MATCHED(null),
    /** A decision that was not an approval and has no entry: nothing was owed, nothing to report. */
    NOTHING_OWED(null),
    AMOUNT_MISMATCH(BreakKind.AMOUNT_MISMATCH),
    POSTED_NOT_APPROVED(BreakKind.POSTED_NOT_APPROVED),
    APPROVED_NOT_POSTED(BreakKind.APPROVED_NOT_POSTED);

    private final BreakKind breakKind;

    Verdict(BreakKind breakKind) {
        this.breakKind = breakKind;
    }

    /** The break this verdict reports, or null when it reports none. */
    BreakKind breakKind() {
        return breakKind;
    }
}
