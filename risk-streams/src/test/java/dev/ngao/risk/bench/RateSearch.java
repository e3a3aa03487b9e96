package dev.ngao.risk.bench;

import java.util.List;
import java.util.OptionalInt;

/**
 * The search for a pipeline's maximum sustained rate: from the highest rate it sustained among the fixed
 * phases, step up by {@link #STEP} until the first rate it does not sustain, the maximum, or a rate already
 * seen unsustained. One unsustained step ends the search: the result is a lower bound at that resolution.
 */
final class RateSearch {

    static final double STEP = 1.5;

    private final int maximumRate;
    private int highestSustained;
    private int lowestUnsustainedAbove;
    private boolean stopped;

    RateSearch(int maximumRate, List<PhaseResult> fixedPhases) {
        this.maximumRate = maximumRate;
        highestSustained = fixedPhases.stream().filter(PhaseResult::sustained)
                .mapToInt(result -> result.plan().rate()).max().orElse(0);
        lowestUnsustainedAbove = fixedPhases.stream().filter(result -> !result.sustained())
                .mapToInt(result -> result.plan().rate()).filter(rate -> rate > highestSustained)
                .min().orElse(Integer.MAX_VALUE);
    }

    boolean hasNext() {
        return !stopped && maximumRate > 0 && highestSustained > 0 && highestSustained < maximumRate
                && next() < lowestUnsustainedAbove;
    }

    int next() {
        return (int) Math.min(maximumRate, Math.round(highestSustained * STEP));
    }

    void record(PhaseResult result) {
        if (result.sustained()) {
            highestSustained = Math.max(highestSustained, result.plan().rate());
        } else {
            stopped = true;
            lowestUnsustainedAbove = Math.min(lowestUnsustainedAbove, result.plan().rate());
        }
    }

    /** The highest rate sustained in any phase; empty when none was. */
    OptionalInt highestSustained() {
        return highestSustained > 0 ? OptionalInt.of(highestSustained) : OptionalInt.empty();
    }

    /** Whether the search reached the maximum rate without failing: the true maximum may be higher. */
    boolean reachedMaximum() {
        return highestSustained >= maximumRate && maximumRate > 0;
    }
}
