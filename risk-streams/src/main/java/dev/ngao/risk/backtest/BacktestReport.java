package dev.ngao.risk.backtest;

import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.RiskDecision;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How the decisions of replayed requests change from the live rule sets to the candidate: outcomes counted
 * on each side, the decisions each rule id matched on each side (shadow matches apart), the transactions
 * whose outcome changed by transition, and a few examples. Names ids and outcomes only, never an account.
 */
public record BacktestReport(String candidate, String live, int requests,
                             Map<Outcome, Long> liveOutcomes, Map<Outcome, Long> candidateOutcomes,
                             Map<String, Long> liveMatches, Map<String, Long> candidateMatches,
                             long changed, Map<String, Long> changesByTransition, List<Change> examples) {

    /** One transaction whose outcome changed, with the rules the candidate matched. */
    public record Change(String transactionId, String merchantId, Outcome live, Outcome candidate,
                         List<String> candidateRules) {
    }

    public BacktestReport {
        liveOutcomes = Map.copyOf(liveOutcomes);
        candidateOutcomes = Map.copyOf(candidateOutcomes);
        liveMatches = Map.copyOf(liveMatches);
        candidateMatches = Map.copyOf(candidateMatches);
        changesByTransition = Map.copyOf(changesByTransition);
        examples = List.copyOf(examples);
    }

    /**
     * @param candidate  the candidate's owner and version, as printed
     * @param live       the live rule set the candidate's owner had, as printed
     * @param requests   how many requests were replayed
     * @param maxExamples how many changed transactions to keep as examples
     */
    public static BacktestReport compare(String candidate, String live, int requests,
                                         Map<String, RiskDecision> liveDecisions,
                                         Map<String, RiskDecision> candidateDecisions, int maxExamples) {
        Map<String, Long> transitions = new TreeMap<>();
        List<Change> examples = new ArrayList<>();
        long changed = 0;
        for (Map.Entry<String, RiskDecision> entry : liveDecisions.entrySet()) {
            RiskDecision before = entry.getValue();
            RiskDecision after = candidateDecisions.get(entry.getKey());
            if (after == null || after.getOutcome() == before.getOutcome()) {
                continue;
            }
            changed++;
            transitions.merge(before.getOutcome() + " -> " + after.getOutcome(), 1L, Long::sum);
            if (examples.size() < maxExamples) {
                examples.add(new Change(entry.getKey(), after.getMerchantId(), before.getOutcome(),
                        after.getOutcome(), List.copyOf(ruleIds(after))));
            }
        }
        return new BacktestReport(candidate, live, requests, outcomes(liveDecisions), outcomes(candidateDecisions),
                matches(liveDecisions), matches(candidateDecisions), changed, transitions, examples);
    }

    private static Map<Outcome, Long> outcomes(Map<String, RiskDecision> decisions) {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        decisions.values().forEach(decision -> counts.merge(decision.getOutcome(), 1L, Long::sum));
        return counts;
    }

    /** Decisions per matched rule id (once per decision); a shadow match is counted as {@code id (shadow)}. */
    private static Map<String, Long> matches(Map<String, RiskDecision> decisions) {
        Map<String, Long> counts = new TreeMap<>();
        decisions.values().forEach(decision -> ruleIds(decision).forEach(id -> counts.merge(id, 1L, Long::sum)));
        return counts;
    }

    private static Set<String> ruleIds(RiskDecision decision) {
        Set<String> ids = new TreeSet<>();
        for (DecisionReason reason : decision.getReasons()) {
            ids.add(reason.getShadow() ? reason.getRuleId() + " (shadow)" : reason.getRuleId());
        }
        return ids;
    }

    /** The report as plain text tables. */
    public String render() {
        StringBuilder text = new StringBuilder();
        text.append("Backtest of ").append(requests).append(" requests: candidate ").append(candidate)
                .append(" against live ").append(live).append('\n');
        text.append('\n').append(String.format("%-32s %10s %10s%n", "outcome", "live", "candidate"));
        for (Outcome outcome : Outcome.values()) {
            long before = liveOutcomes.getOrDefault(outcome, 0L);
            long after = candidateOutcomes.getOrDefault(outcome, 0L);
            if (before != 0 || after != 0) {
                text.append(String.format("%-32s %10d %10d%n", outcome, before, after));
            }
        }
        Set<String> rules = new TreeSet<>(liveMatches.keySet());
        rules.addAll(candidateMatches.keySet());
        text.append('\n').append(String.format("%-32s %10s %10s%n", "rule matched", "live", "candidate"));
        for (String rule : rules) {
            text.append(String.format("%-32s %10d %10d%n", rule, liveMatches.getOrDefault(rule, 0L),
                    candidateMatches.getOrDefault(rule, 0L)));
        }
        text.append('\n').append("outcome changed: ").append(changed).append('\n');
        changesByTransition.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(transition ->
                text.append(String.format("  %-30s %10d%n", transition.getKey(), transition.getValue())));
        for (Change change : examples) {
            text.append("  e.g. ").append(change.transactionId()).append(" (merchant ").append(change.merchantId())
                    .append("): ").append(change.live()).append(" -> ").append(change.candidate())
                    .append(change.candidateRules().isEmpty() ? "" : " by " + String.join(", ", change.candidateRules()))
                    .append('\n');
        }
        return text.toString();
    }
}
