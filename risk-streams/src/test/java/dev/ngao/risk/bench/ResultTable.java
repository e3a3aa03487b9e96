package dev.ngao.risk.bench;

import dev.ngao.events.Outcome;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** Prints each phase as it ends, and the table of all phases with the maximum sustained rates at the end. */
final class ResultTable {

    private static final int TOP_RULES = 8;

    private final PrintStream out;

    ResultTable(PrintStream out) {
        this.out = out;
    }

    void phase(PhaseResult result) {
        out.printf(Locale.ROOT, "phase %d (%s) %s @ %,d/s offered:%n", result.plan().number(),
                result.plan().kind().name().toLowerCase(Locale.ROOT), result.label(), result.plan().rate());
        out.printf(Locale.ROOT, "  sent %,.0f/s, answered %,.0f/s; latency from intended send: p50 %s, p99 %s, "
                        + "p99.9 %s, max %s (%,d measured after %d s warm-up)%n", result.sendRate(),
                result.answerRate(), millis(result.p50Millis()), millis(result.p99Millis()),
                millis(result.p999Millis()), millis(result.maxMillis()), result.measuredAnswers(),
                result.plan().warmUp().toSeconds());
        out.printf(Locale.ROOT, "  backlog when the last request was due: %,d (%.1f s of load); last answer %s after "
                        + "it; unanswered %,d, duplicates %,d, send failures %,d -> %s%n", result.backlogAtEnd(),
                result.backlogAtEnd() / (double) result.plan().rate(), seconds(result.drainSeconds()),
                result.unanswered(), result.duplicates(), result.sendFailures(),
                result.sustained() ? "sustained" : "NOT sustained: " + result.shortfall()
                        + (result.senderFellBehind() ? " (the sender itself fell behind the schedule)" : ""));
        out.printf(Locale.ROOT, "  CPU per answer, whole phase: %s%n", CpuShares.describe(result.cpuMicrosPerAnswer()));
        if (!result.outcomes().isEmpty()) {
            out.printf(Locale.ROOT, "  outcomes %s; decisions naming another rule-set version: %,d%n",
                    outcomes(result.outcomes()), result.otherRuleSetVersions());
            out.printf(Locale.ROOT, "  rules matched (decisions): %s%n", topRules(result.matchedRules()));
        }
        if (result.requestedAtMismatches() > 0) {
            out.printf(Locale.ROOT, "  WARNING: %,d answers carried another requestedAt than their intended send "
                    + "time%n", result.requestedAtMismatches());
        }
        if (result.unanswered() > 0) {
            out.printf(Locale.ROOT, "  WARNING: %,d requests left unanswered in %s; its later phases share "
                    + "the backlog%n", result.unanswered(), result.pipeline());
        }
    }

    void summary(List<PhaseResult> results, Map<String, RateSearch> searches, int maximumRate) {
        int labelWidth = results.stream().mapToInt(result -> result.label().length()).max().orElse(10) + 9;
        String row = "%-4s %-" + labelWidth + "s %9s %9s %11s %9s %9s %9s %9s  %-9s %s%n";
        out.println();
        out.printf(Locale.ROOT, row, "#", "phase (what ran) [fixed|search]", "offered/s", "sent/s", "decisions/s",
                "p50", "p99", "p99.9", "max", "sustained", "APPROVE/DECLINE/REVIEW");
        for (PhaseResult result : results) {
            out.printf(Locale.ROOT, row, result.plan().number(),
                    result.label() + " [" + result.plan().kind().name().toLowerCase(Locale.ROOT) + "]",
                    String.format(Locale.ROOT, "%,d", result.plan().rate()),
                    String.format(Locale.ROOT, "%,.0f", result.sendRate()),
                    String.format(Locale.ROOT, "%,.0f", result.answerRate()), millis(result.p50Millis()),
                    millis(result.p99Millis()), millis(result.p999Millis()), millis(result.maxMillis()),
                    result.sustained() ? "yes" : "NO", outcomeCounts(result));
        }
        out.println();
        OptionalInt baseline = maximumSustained(searches.get("baseline"));
        OptionalInt risk = maximumSustained(searches.get("risk-streams"));
        for (Map.Entry<String, RateSearch> search : searches.entrySet()) {
            out.printf(Locale.ROOT, "max sustained %-12s %s%n", search.getKey() + ":",
                    describe(search.getValue(), maximumRate));
        }
        if (baseline.isPresent() && risk.isPresent()) {
            boolean baselineCapped = searches.get("baseline").reachedMaximum();
            out.printf(Locale.ROOT, "ratio risk-streams / baseline: %s%.3g%s%n", baselineCapped ? "at most " : "",
                    risk.getAsInt() / (double) baseline.getAsInt(),
                    baselineCapped ? " (the baseline reached the search's maximum)" : "");
        }
        out.printf(Locale.ROOT, "(sustained: every request answered once, the last within %.0f s of its due time, and "
                        + "answers read during the window at least %.0f %% of the offered rate; search: x%.1f steps "
                        + "from the highest sustained rate, stopping at the first rate not sustained%s)%n",
                PhaseResult.SUSTAINED_DRAIN_SECONDS, 100 * PhaseResult.SUSTAINED_ANSWER_SHARE, RateSearch.STEP,
                maximumRate > 0 ? String.format(Locale.ROOT, " or at %,d/s", maximumRate) : ", search skipped");
    }

    private static OptionalInt maximumSustained(RateSearch search) {
        return search == null ? OptionalInt.empty() : search.highestSustained();
    }

    private static String describe(RateSearch search, int maximumRate) {
        OptionalInt highest = search.highestSustained();
        if (highest.isEmpty()) {
            return "none of the rates tried";
        }
        String bound = search.reachedMaximum() ? " (the search's maximum: the pipeline may sustain more)" : "";
        return String.format(Locale.ROOT, "%,d/s%s", highest.getAsInt(), bound);
    }

    private static String outcomeCounts(PhaseResult result) {
        if (result.outcomes().isEmpty()) {
            return "-";
        }
        Map<Outcome, Long> outcomes = result.outcomes();
        return String.format(Locale.ROOT, "%,d/%,d/%,d", outcomes.getOrDefault(Outcome.APPROVE, 0L),
                outcomes.getOrDefault(Outcome.DECLINE, 0L), outcomes.getOrDefault(Outcome.REVIEW, 0L));
    }

    private static String outcomes(Map<Outcome, Long> outcomes) {
        return outcomes.entrySet().stream()
                .map(entry -> String.format(Locale.ROOT, "%s %,d", entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String topRules(Map<String, Long> matchedRules) {
        if (matchedRules.isEmpty()) {
            return "none";
        }
        return matchedRules.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP_RULES)
                .map(entry -> String.format(Locale.ROOT, "%s %,d", entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String millis(double millis) {
        return millis >= 100 ? String.format(Locale.ROOT, "%,.0f ms", millis)
                : String.format(Locale.ROOT, "%.1f ms", millis);
    }

    private static String seconds(double seconds) {
        return Double.isInfinite(seconds) ? "never" : String.format(Locale.ROOT, "%.2f s", seconds);
    }
}
