package dev.ngao.risk.bench;

import dev.ngao.events.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one phase measured. Latencies run from a request's intended send time to its answer being read
 * committed; rates are over the measured window (the warm-up excluded).
 *
 * @param sendRate                achieved send rate: measured requests over the time their sending took
 * @param answerRate              answers read during the measured window, per second
 * @param backlogAtEnd            requests sent and not answered when the last one was due
 * @param drainSeconds            from the last request's intended time to the last answer; infinite if some never came
 * @param unanswered              requests of the phase never answered before the reader gave up
 * @param duplicates              answers read twice for one request (exactly-once says none)
 * @param otherRuleSetVersions    decisions whose reasons name another rule-set version than the one published
 * @param requestedAtMismatches   answers whose requestedAt is not their request's intended send time (none expected)
 * @param outcomes                outcomes of the measured requests (decisions only)
 * @param matchedRules            how many measured decisions each rule matched, shadow rules marked so
 */
record PhaseResult(PhasePlan plan, String pipeline, String label, double sendRate, double answerRate,
                   double p50Millis, double p99Millis, double p999Millis, double maxMillis, long measuredAnswers,
                   long backlogAtEnd, double drainSeconds, long unanswered, long duplicates, long sendFailures,
                   long otherRuleSetVersions, long requestedAtMismatches, Map<Outcome, Long> outcomes,
                   Map<String, Long> matchedRules, Map<String, Double> cpuMicrosPerAnswer) {

    /** Answers lagging the sends by at most this when the last request was due: the rate was kept up with. */
    static final double SUSTAINED_DRAIN_SECONDS = 2.0;
    /**
     * Answers read during the window, at least this share of the offered rate: a backlog that grows through the
     * window (answers slower than requests) is not sustained even if it is still under the drain limit at the end.
     */
    static final double SUSTAINED_ANSWER_SHARE = 0.95;

    /** Every request answered once, the last within the drain limit, and the answers keeping pace in the window. */
    boolean sustained() {
        return unanswered == 0 && duplicates == 0 && sendFailures == 0 && drainSeconds <= SUSTAINED_DRAIN_SECONDS
                && answerRate >= SUSTAINED_ANSWER_SHARE * plan.rate();
    }

    /** Why the phase is not sustained, for the phase line; empty when it is. */
    String shortfall() {
        List<String> reasons = new ArrayList<>();
        if (unanswered > 0) {
            reasons.add(String.format(Locale.ROOT, "%,d unanswered", unanswered));
        } else if (drainSeconds > SUSTAINED_DRAIN_SECONDS) {
            reasons.add(String.format(Locale.ROOT, "last answer %.1f s after the last due time", drainSeconds));
        }
        if (answerRate < SUSTAINED_ANSWER_SHARE * plan.rate()) {
            reasons.add(String.format(Locale.ROOT, "answers at %.0f %% of the offered rate",
                    100 * answerRate / plan.rate()));
        }
        if (duplicates > 0 || sendFailures > 0) {
            reasons.add("duplicates or send failures");
        }
        return String.join(", ", reasons);
    }

    /** The load generator, not the pipeline, fell behind: it sent under 95 % of the offered rate. */
    boolean senderFellBehind() {
        return sendRate < 0.95 * plan.rate();
    }
}
