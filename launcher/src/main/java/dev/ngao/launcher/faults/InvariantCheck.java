package dev.ngao.launcher.faults;

import dev.ngao.launcher.faults.Observations.Break;
import dev.ngao.launcher.faults.Observations.Decision;
import dev.ngao.launcher.faults.Observations.Entry;
import dev.ngao.launcher.faults.Observations.Posting;
import dev.ngao.launcher.faults.Observations.ReportRun;
import dev.ngao.launcher.faults.Observations.Request;
import dev.ngao.launcher.faults.Observations.RequestRecord;
import dev.ngao.launcher.faults.Observations.Totals;
import dev.ngao.launcher.faults.Verdict.Violation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The fault suite's invariants, judged from {@link Observations} alone:
 * <ul>
 *   <li>every request the suite sent got a final answer, and that answer was 202 (the same key and body again
 *       is never refused);</li>
 *   <li>each idempotency key is one transaction on payments.requests, the one the API answered (a transaction
 *       written twice, by the relay after a crash, is counted, not a fault: risk-streams drops the copy);</li>
 *   <li>every accepted request is decided exactly once (one INITIAL decision), nothing else is decided, and no
 *       transaction has two final decisions of one kind;</li>
 *   <li>every approval is posted once (one {@code je:<tx>:approved} entry), or refused by the ledger as a final
 *       LEDGER_REFUSAL decision; nothing is posted that was not approved;</li>
 *   <li>no entry id is on ledger.entries twice with different content, no two entries share a sequence, and
 *       the sequences have no gap;</li>
 *   <li>the trial balance is zero in every currency, and the ledger's totals are the sum of what it published;</li>
 *   <li>no payment was submitted to the provider twice, every posted approval was submitted, nothing was
 *       submitted that risk did not approve, and the ledger ends where the provider says each payment ended;</li>
 *   <li>no reconciliation break (the runs use no provider misbehaviour: every break is the faults');
 *       every settlement report ran.</li>
 * </ul>
 */
final class InvariantCheck {

    private static final String APPROVE = "APPROVE";
    private static final String INITIAL = "INITIAL";
    private static final String LEDGER_REFUSAL = "LEDGER_REFUSAL";
    private static final String REVIEW_RESOLUTION = "REVIEW_RESOLUTION";
    private static final String CHALLENGE_RESULT = "CHALLENGE_RESULT";

    private final Observations seen;
    private final Map<String, String> figures = new LinkedHashMap<>();
    private final List<Violation> violations = new ArrayList<>();

    private InvariantCheck(Observations seen) {
        this.seen = seen;
    }

    static Verdict check(Observations seen) {
        InvariantCheck check = new InvariantCheck(seen);
        Set<String> accepted = check.requests();
        Set<String> written = check.requestRecords(accepted);
        Map<String, String> finalOutcomes = check.decisions(accepted, written);
        Map<String, Entry> distinctEntries = check.entries();
        Set<String> posted = check.approvals(finalOutcomes, distinctEntries);
        check.trialBalance(distinctEntries);
        check.provider(finalOutcomes, posted, distinctEntries);
        check.reconciliation(finalOutcomes, posted, distinctEntries);
        check.health();
        return new Verdict(check.figures, check.violations);
    }

    private void figure(String label, Object value) {
        figures.put(label, String.valueOf(value));
    }

    private void permanent(java.util.Collection<String> ids, String what) {
        if (!ids.isEmpty()) {
            violations.add(new Violation(ids.size() + " " + what + " " + limited(new TreeSet<>(ids)), false));
        }
    }

    private void pending(java.util.Collection<String> ids, String what) {
        if (!ids.isEmpty()) {
            violations.add(new Violation(ids.size() + " " + what + " " + limited(new TreeSet<>(ids)), true));
        }
    }

    private void permanent(long count, String what) {
        if (count > 0) {
            violations.add(new Violation(count + " " + what, false));
        }
    }

    private void pending(long count, String what) {
        if (count > 0) {
            violations.add(new Violation(count + " " + what, true));
        }
    }

    /** The requests' answers; the transaction ids accepted. */
    private Set<String> requests() {
        Set<String> accepted = new HashSet<>();
        long unanswered = 0;
        Map<Integer, Long> refused = new TreeMap<>();
        for (Request request : seen.requests()) {
            if (request.status() == 202) {
                accepted.add(request.transactionId());
            } else if (request.status() == 0) {
                unanswered++;
            } else {
                refused.merge(request.status(), 1L, Long::sum);
            }
        }
        figure("requests sent", seen.requests().size());
        figure("requests accepted (202)", accepted.size());
        figure("requests refused", refused.isEmpty() ? "0" : refused.toString());
        figure("requests without a final answer", unanswered);
        pending(unanswered, "requests without a final answer");
        permanent(refused.values().stream().mapToLong(Long::longValue).sum(),
                "requests refused although sent with the same key and body until answered: " + refused);
        return accepted;
    }

    /** payments.requests: one transaction per key, the answered one; the transaction ids written. */
    private Set<String> requestRecords(Set<String> accepted) {
        Map<String, String> answered = new HashMap<>();
        Set<String> unansweredKeys = new HashSet<>();
        for (Request request : seen.requests()) {
            if (request.status() == 202) {
                answered.put(request.key(), request.transactionId());
            } else if (request.status() == 0) {
                unansweredKeys.add(request.key());
            }
        }
        Map<String, Set<String>> transactionsByKey = new HashMap<>();
        Set<String> written = new HashSet<>();
        for (RequestRecord record : seen.requestRecords()) {
            written.add(record.transactionId());
            transactionsByKey.computeIfAbsent(record.merchantReference(), ignored -> new TreeSet<>())
                    .add(record.transactionId());
        }
        long twoTransactions = transactionsByKey.values().stream().filter(ids -> ids.size() > 1).count();
        long otherTransaction = transactionsByKey.entrySet().stream()
                .filter(byKey -> answered.containsKey(byKey.getKey()))
                .filter(byKey -> !byKey.getValue().equals(Set.of(answered.get(byKey.getKey())))).count();
        long neverAccepted = transactionsByKey.keySet().stream()
                .filter(key -> !answered.containsKey(key) && !unansweredKeys.contains(key)).count();
        long missing = accepted.stream().filter(id -> !written.contains(id)).count();
        figure("payments.requests records", seen.requestRecords().size());
        figure("  transactions", written.size());
        figure("  written twice (relay after a crash; dropped by risk)", seen.requestRecords().size() - written.size());
        figure("  accepted but not written", missing);
        pending(missing, "accepted transactions not on payments.requests");
        permanent(twoTransactions, "idempotency keys written as two transactions");
        permanent(otherTransaction, "idempotency keys written as another transaction than the API answered");
        permanent(neverAccepted, "transactions on payments.requests whose request was refused");
        return written;
    }

    /**
     * risk.decisions: exactly one INITIAL per accepted request, at most one final decision of each other kind;
     * answers each transaction's final outcome (the review resolution's, a ledger refusal's DECLINE, or the
     * INITIAL one).
     */
    private Map<String, String> decisions(Set<String> accepted, Set<String> written) {
        Map<String, Map<String, List<Decision>>> byTransaction = new HashMap<>();
        for (Decision decision : seen.decisions()) {
            byTransaction.computeIfAbsent(decision.transactionId(), ignored -> new HashMap<>())
                    .computeIfAbsent(decision.kind(), ignored -> new ArrayList<>()).add(decision);
        }
        List<String> decidedTwice = new ArrayList<>();
        List<String> finalTwice = new ArrayList<>();
        Map<String, Long> initialOutcomes = new TreeMap<>();
        Map<String, String> finalOutcomes = new HashMap<>();
        for (Map.Entry<String, Map<String, List<Decision>>> transaction : byTransaction.entrySet()) {
            Map<String, List<Decision>> kinds = transaction.getValue();
            List<Decision> initial = kinds.getOrDefault(INITIAL, List.of());
            if (initial.size() > 1) {
                decidedTwice.add(transaction.getKey());
            }
            if (kinds.entrySet().stream().anyMatch(kind -> !kind.getKey().equals(INITIAL) && kind.getValue().size() > 1)) {
                finalTwice.add(transaction.getKey());
            }
            initial.stream().findFirst().ifPresent(first -> initialOutcomes.merge(first.outcome(), 1L, Long::sum));
            String outcome = kinds.containsKey(LEDGER_REFUSAL) ? LEDGER_REFUSAL
                    : kinds.containsKey(REVIEW_RESOLUTION) ? kinds.get(REVIEW_RESOLUTION).get(0).outcome()
                    : kinds.containsKey(CHALLENGE_RESULT) ? kinds.get(CHALLENGE_RESULT).get(0).outcome()
                    : initial.isEmpty() ? null : initial.get(0).outcome();
            if (outcome != null) {
                finalOutcomes.put(transaction.getKey(), outcome);
            }
        }
        List<String> undecided = accepted.stream()
                .filter(id -> byTransaction.getOrDefault(id, Map.of()).getOrDefault(INITIAL, List.of()).isEmpty())
                .toList();
        List<String> unrequested = byTransaction.keySet().stream().filter(id -> !written.contains(id)).toList();
        long refusals = byTransaction.values().stream().filter(kinds -> kinds.containsKey(LEDGER_REFUSAL)).count();
        figure("risk.decisions records", seen.decisions().size());
        figure("  decided transactions (INITIAL)", byTransaction.values().stream()
                .filter(kinds -> kinds.containsKey(INITIAL)).count());
        figure("  INITIAL outcomes", initialOutcomes);
        figure("  final DECLINE of a ledger refusal", refusals);
        figure("  accepted, undecided", undecided.size());
        figure("  decided twice", decidedTwice.size());
        pending(undecided, "accepted requests without a decision");
        permanent(decidedTwice, "transactions decided twice (two INITIAL decisions)");
        permanent(finalTwice, "transactions with two final decisions of one kind");
        permanent(unrequested, "decisions on transactions not on payments.requests");
        return finalOutcomes;
    }

    /** ledger.entries: one content per entry id, one entry per sequence, no gap; the distinct entries by id. */
    private Map<String, Entry> entries() {
        Map<String, Entry> byId = new HashMap<>();
        long differentCopies = 0;
        Set<String> conflictingIds = new TreeSet<>();
        for (Entry entry : seen.entries()) {
            Entry first = byId.putIfAbsent(entry.entryId(), entry);
            if (first != null && !first.equals(entry)) {
                conflictingIds.add(entry.entryId());
                differentCopies++;
            }
        }
        Map<Long, Set<String>> idsBySequence = new HashMap<>();
        byId.values().forEach(entry -> idsBySequence.computeIfAbsent(entry.sequence(), ignored -> new HashSet<>())
                .add(entry.entryId()));
        List<String> sharedSequences = idsBySequence.entrySet().stream().filter(ids -> ids.getValue().size() > 1)
                .map(ids -> Long.toString(ids.getKey())).toList();
        long highest = idsBySequence.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        long gaps = highest - idsBySequence.size();
        figure("ledger.entries records", seen.entries().size());
        figure("  distinct entry ids", byId.size());
        figure("  republished copies (same content)", seen.entries().size() - byId.size() - differentCopies);
        figure("  entry ids with different contents", conflictingIds.size());
        figure("  sequences missing", gaps);
        permanent(conflictingIds, "entry ids on ledger.entries with different contents");
        permanent(sharedSequences, "sequences with two different entries");
        pending(gaps, "sequences missing from ledger.entries");
        return byId;
    }

    /** Approvals posted once; answers the transactions with an approval entry. */
    private Set<String> approvals(Map<String, String> finalOutcomes, Map<String, Entry> entries) {
        Set<String> posted = entries.values().stream()
                .filter(entry -> entry.entryId().equals(approvedEntryId(entry.transactionId())))
                .map(Entry::transactionId).collect(Collectors.toSet());
        long approved = finalOutcomes.values().stream().filter(APPROVE::equals).count();
        List<String> notPosted = finalOutcomes.entrySet().stream()
                .filter(outcome -> outcome.getValue().equals(APPROVE) && !posted.contains(outcome.getKey()))
                .map(Map.Entry::getKey).toList();
        List<String> postedUnapproved = posted.stream().filter(id -> !APPROVE.equals(finalOutcomes.get(id))).toList();
        figure("approvals (final outcome APPROVE)", approved);
        figure("  posted (je:<tx>:approved)", posted.size());
        figure("  not posted", notPosted.size());
        figure("  posted without an approval", postedUnapproved.size());
        pending(notPosted, "approvals not posted");
        permanent(postedUnapproved, "approval entries of transactions whose final outcome is not APPROVE");
        return posted;
    }

    static String approvedEntryId(String transactionId) {
        return "je:" + transactionId + ":approved";
    }

    /**
     * Whether the ledger posted the provider's final outcome of the payment: {@code je:<tx>:succeeded} for
     * SUCCEEDED, {@code je:<tx>:failed} for FAILED, EXPIRED or REVERSED before success (ledger-service's
     * PostingRules; a reversal after success posts {@code reversed} after {@code succeeded}). The suite sends only
     * mobile-money collections and payouts, whose flows post both steps.
     */
    private static boolean providerOutcomeInTheLedger(Map<String, Entry> entries, String transactionId) {
        return entries.containsKey("je:" + transactionId + ":succeeded")
                || entries.containsKey("je:" + transactionId + ":failed");
    }

    private void trialBalance(Map<String, Entry> entries) {
        Observations.LedgerState ledger = seen.ledger();
        Map<String, long[]> published = new TreeMap<>();
        for (Entry entry : entries.values()) {
            for (Posting posting : entry.postings()) {
                long[] sides = published.computeIfAbsent(posting.currency(), ignored -> new long[2]);
                sides["DEBIT".equals(posting.side()) ? 0 : 1] += posting.amountMinor();
            }
        }
        long unbalancedCurrencies = ledger.totals().values().stream()
                .filter(totals -> totals.debitsMinor() != totals.creditsMinor()).count();
        Set<String> currencies = new TreeSet<>(published.keySet());
        currencies.addAll(ledger.totals().keySet());
        long disagreeing = currencies.stream().filter(currency -> {
            long[] sides = published.getOrDefault(currency, new long[2]);
            Totals totals = ledger.totals().getOrDefault(currency, new Totals(0, 0));
            return sides[0] != totals.debitsMinor() || sides[1] != totals.creditsMinor();
        }).count();
        long highest = entries.values().stream().mapToLong(Entry::sequence).max().orElse(0);
        figure("trial balance (ledger API)", (ledger.balanced() ? "balanced" : "NOT balanced") + " "
                + ledger.totals().entrySet().stream().map(currency -> currency.getKey() + " debits "
                + currency.getValue().debitsMinor() + " credits " + currency.getValue().creditsMinor() + " net "
                + (currency.getValue().debitsMinor() - currency.getValue().creditsMinor()))
                .collect(Collectors.joining(", ")));
        figure("ledger last / published sequence", ledger.lastSequence() + " / " + ledger.publishedSequence());
        permanent(ledger.balanced() && unbalancedCurrencies == 0 ? 0 : Math.max(1, unbalancedCurrencies),
                "currencies whose trial balance is not zero");
        pending(disagreeing, "currencies whose ledger totals differ from the sum of ledger.entries");
        pending(ledger.lastSequence() == ledger.publishedSequence() ? 0 : 1, "ledger with entries not published");
        pending(highest == ledger.lastSequence() ? 0 : 1, "ledger whose last sequence (" + ledger.lastSequence()
                + ") is not the last on ledger.entries (" + highest + ")");
    }

    /** The provider took each payment once, each posted approval, nothing else, and the ledger follows it. */
    private void provider(Map<String, String> finalOutcomes, Set<String> posted, Map<String, Entry> entries) {
        Map<String, Integer> submissions = seen.submissions();
        List<String> twice = submissions.entrySet().stream().filter(count -> count.getValue() > 1)
                .map(Map.Entry::getKey).toList();
        Set<String> submitted = submissions.entrySet().stream().filter(count -> count.getValue() > 0)
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        List<String> neverSubmitted = posted.stream().filter(id -> !submitted.contains(id)).toList();
        List<String> unapproved = submitted.stream().filter(id -> finalOutcomes.containsKey(id)
                && !APPROVE.equals(finalOutcomes.get(id))).toList();
        List<String> unknown = submitted.stream().filter(id -> !finalOutcomes.containsKey(id)).toList();
        List<String> notPosted = submitted.stream()
                .filter(id -> APPROVE.equals(finalOutcomes.get(id)) && !posted.contains(id)).toList();
        Map<String, Long> outcomes = new TreeMap<>();
        List<String> unsettled = new ArrayList<>();
        List<String> contradicted = new ArrayList<>();
        for (String id : submitted) {
            String status = seen.providerOutcomes().getOrDefault(id, "UNKNOWN");
            outcomes.merge(status, 1L, Long::sum);
            boolean succeeded = entries.containsKey("je:" + id + ":succeeded");
            boolean failed = entries.containsKey("je:" + id + ":failed");
            boolean contradicts = switch (status) {
                case "SUCCEEDED" -> failed;
                case "FAILED", "EXPIRED" -> succeeded;
                default -> false;
            };
            if (contradicts) {
                contradicted.add(id);
            } else if (!succeeded && !failed || !List.of("SUCCEEDED", "FAILED", "EXPIRED").contains(status)) {
                unsettled.add(id);
            }
        }
        figure("provider submissions (transactions)", submitted.size());
        figure("  submitted twice", twice.size());
        figure("  posted approvals never submitted", neverSubmitted.size());
        figure("  provider outcomes", outcomes);
        figure("  outcome not (yet) in the ledger", unsettled.size());
        figure("  providers.status-queries not yet applied by ingest", seen.statusQueryLag());
        permanent(twice, "payments submitted to the provider twice");
        pending(neverSubmitted, "posted approvals never submitted to the provider");
        permanent(unapproved, "payments submitted whose final outcome is not APPROVE");
        pending(unknown, "payments submitted that risk has not decided");
        pending(notPosted, "payments submitted whose approval is not posted");
        pending(unsettled, "submitted payments whose provider outcome is not in the ledger");
        permanent(contradicted, "payments the ledger settled otherwise than the provider");
    }

    /**
     * No break at all: the runs inject no provider misbehaviour. A break between a decision and the ledger whose
     * missing record arrived after the grace period (risk or the ledger held up by a fault) is counted apart as
     * stale: it stands on recon.breaks all the same, for someone to clear. So is the UNRESOLVED_PENDING break of a
     * payment the stuck-payment chaser flagged before its ledger refusal or its final provider status came.
     */
    private void reconciliation(Map<String, String> finalOutcomes, Set<String> posted, Map<String, Entry> entries) {
        Map<String, Set<String>> breakIdsByKind = new TreeMap<>();
        Set<String> stale = new TreeSet<>();
        // An approval posted after its APPROVED_NOT_POSTED break, or refused by the ledger after it; a payment refused
        // by the ledger or given a final provider status after its UNRESOLVED_PENDING break: the reconciler clears it
        // once it reads the entry, the refusal or the final status, which under faults may be minutes after they were
        // written (its own lag). Waited for, so what stands is what it kept. A payment still pending keeps its break.
        Set<String> awaitingClearing = new TreeSet<>();
        Set<String> refusedByTheLedger = seen.decisions().stream()
                .filter(decision -> LEDGER_REFUSAL.equals(decision.kind())).map(Decision::transactionId)
                .collect(Collectors.toSet());
        // A break whose last record clears it no longer stands: its late counterpart came and matched.
        Map<String, Break> latest = new java.util.LinkedHashMap<>();
        seen.breaks().forEach(found -> latest.put(found.breakId(), found));
        Set<String> cleared = new TreeSet<>();
        latest.values().stream().filter(Break::cleared).forEach(found -> cleared.add(found.breakId()));
        for (Break found : latest.values()) {
            if (found.cleared()) {
                continue;
            }
            breakIdsByKind.computeIfAbsent(found.kind(), ignored -> new TreeSet<>()).add(found.breakId());
            String outcome = finalOutcomes.get(found.transactionId());
            boolean approved = APPROVE.equals(outcome);
            boolean refused = refusedByTheLedger.contains(found.transactionId());
            boolean consistentNow = switch (found.kind()) {
                case "APPROVED_NOT_POSTED" -> outcome != null && (!approved || posted.contains(found.transactionId()));
                case "POSTED_NOT_APPROVED" -> approved;
                case "UNRESOLVED_PENDING" -> refused || providerOutcomeInTheLedger(entries, found.transactionId());
                default -> false;
            };
            if (consistentNow) {
                stale.add(found.breakId());
                boolean theReconcilerClearsIt = switch (found.kind()) {
                    case "APPROVED_NOT_POSTED" -> approved || refused;
                    case "UNRESOLVED_PENDING" -> true;
                    default -> false;
                };
                if (theReconcilerClearsIt) {
                    awaitingClearing.add(found.transactionId());
                }
            }
        }
        long breaks = breakIdsByKind.values().stream().mapToLong(Set::size).sum();
        Map<String, Long> byKind = new TreeMap<>();
        breakIdsByKind.forEach((kind, ids) -> byKind.put(kind, (long) ids.size()));
        long rows = seen.reportRuns().stream().mapToLong(ReportRun::rows).sum();
        long matched = seen.reportRuns().stream().mapToLong(ReportRun::matched).sum();
        long failedRuns = seen.reportRuns().stream().filter(run -> !run.completed()).count();
        figure("settlement reports reconciled", seen.reportRuns().size() + " (" + rows + " rows, " + matched
                + " matched)");
        figure("reconciliation breaks (recon.breaks)", breaks == 0 ? "0" : breaks + " " + byKind);
        figure("  of which stale (the late decision or entry came after the grace period)", stale.size());
        figure("breaks raised and cleared (the late counterpart came and matched)", cleared.size());
        pending(awaitingClearing, "APPROVED_NOT_POSTED or UNRESOLVED_PENDING breaks whose payment is posted, refused "
                + "by the ledger or has its provider outcome in the ledger since, not (yet) cleared by the reconciler");
        permanent(breaks, "reconciliation breaks " + byKind + " " + limited(latest.values().stream()
                .filter(found -> !found.cleared()).map(Break::transactionId)
                .collect(Collectors.toCollection(TreeSet::new))));
        permanent(failedRuns, "settlement report runs that did not complete");
    }

    /** Every service still running at the end: a service that stopped after a failure decides nothing more. */
    private void health() {
        List<String> unhealthy = seen.health().entrySet().stream().filter(service -> service.getValue() != 200)
                .map(service -> service.getKey() + " " + (service.getValue() == 0 ? "no answer" : service.getValue()))
                .toList();
        figure("services not healthy at the end", unhealthy.isEmpty() ? "none" : String.join(", ", unhealthy));
        pending(unhealthy, "services whose health check fails");
    }

    private static String limited(Set<String> ids) {
        return ids.stream().limit(5).collect(Collectors.joining(", ", "(", ids.size() > 5 ? ", ...)" : ")"));
    }
}
