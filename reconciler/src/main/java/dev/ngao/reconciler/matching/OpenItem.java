package dev.ngao.reconciler.matching;

/**
 * What the reconciler knows of one transaction that is neither matched nor broken yet: its decision,
 * its approval postings, or both (then only for the instant before it is settled). Either may be null.
 */
record OpenItem(SeenDecision decision, SeenPostings postings) {

    static final OpenItem NOTHING = new OpenItem(null, null);

    OpenItem withDecision(SeenDecision seen) {
        return new OpenItem(seen, postings);
    }

    OpenItem withPostings(SeenPostings seen) {
        return new OpenItem(decision, seen);
    }

    boolean hasDecision() {
        return decision != null;
    }

    boolean hasPostings() {
        return postings != null;
    }
}
