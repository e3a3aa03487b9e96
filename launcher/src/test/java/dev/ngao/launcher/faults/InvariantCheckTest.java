package dev.ngao.launcher.faults;

import dev.ngao.launcher.faults.Observations.Break;
import dev.ngao.launcher.faults.Observations.Decision;
import dev.ngao.launcher.faults.Observations.Entry;
import dev.ngao.launcher.faults.Observations.LedgerState;
import dev.ngao.launcher.faults.Observations.Posting;
import dev.ngao.launcher.faults.Observations.ReportRun;
import dev.ngao.launcher.faults.Observations.Request;
import dev.ngao.launcher.faults.Observations.RequestRecord;
import dev.ngao.launcher.faults.Observations.Totals;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InvariantCheckTest {

    /**
     * A run that went right: an approved collection the provider took and settled (two entries), a declined one,
     * and an approved payout the ledger refused; the collection's request was written twice by the relay and its
     * approval entry republished once, as after a crash.
     */
    private static final class Run {
        final List<Request> requests = new ArrayList<>(List.of(
                new Request("k-1", 202, "txn_1"), new Request("k-2", 202, "txn_2"), new Request("k-3", 202, "txn_3")));
        final List<RequestRecord> records = new ArrayList<>(List.of(new RequestRecord("txn_1", "k-1"),
                new RequestRecord("txn_1", "k-1"), new RequestRecord("txn_2", "k-2"), new RequestRecord("txn_3", "k-3")));
        final List<Decision> decisions = new ArrayList<>(List.of(new Decision("txn_1", "INITIAL", "APPROVE"),
                new Decision("txn_2", "INITIAL", "DECLINE"), new Decision("txn_3", "INITIAL", "APPROVE"),
                new Decision("txn_3", "LEDGER_REFUSAL", "DECLINE")));
        final List<Entry> entries = new ArrayList<>(List.of(entry("je:txn_1:approved", 1, "txn_1", 1500),
                entry("je:txn_1:approved", 1, "txn_1", 1500), entry("je:txn_1:succeeded", 2, "txn_1", 1500)));
        LedgerState ledger = new LedgerState(true, Map.of("KES", new Totals(3000, 3000)), 2, 2);
        final Map<String, Integer> submissions = new HashMap<>(Map.of("txn_1", 1));
        final Map<String, String> outcomes = new HashMap<>(Map.of("txn_1", "SUCCEEDED"));
        final List<Break> breaks = new ArrayList<>();
        final Map<String, Integer> health = new HashMap<>(Map.of("ingest", 200, "risk-streams", 200));
        final List<ReportRun> reports = new ArrayList<>(List.of(
                new ReportRun("mobile-money-hub", "2026-03-01", 1, 1, 0, true)));

        Verdict check() {
            return InvariantCheck.check(new Observations(requests, records, decisions, entries, ledger, submissions,
                    outcomes, breaks, reports, 0, health));
        }
    }

    private static Entry entry(String id, long sequence, String transactionId, long amountMinor) {
        return new Entry(id, sequence, transactionId, "evt-" + id, "collection", List.of(
                new Posting("provider:mobile-money-hub:clearing:KES", "DEBIT", amountMinor, "KES"),
                new Posting("merchant:m:pending:KES", "CREDIT", amountMinor, "KES")), 1_000L, null, "hash-" + id);
    }

    @Test
    void shouldPassAndCountTheCopiesWhenEveryRequestIsDecidedOncePostedOnceAndSubmittedOnce() {
        // Given a run whose only oddities are a request written twice and an entry republished, as after a crash
        Run run = new Run();

        // When it is checked
        Verdict verdict = run.check();

        // Then every invariant holds, and the copies are counted
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.figures()).containsEntry("  written twice (relay after a crash; dropped by risk)", "1")
                .containsEntry("  republished copies (same content)", "1")
                .containsEntry("  posted (je:<tx>:approved)", "1")
                .containsEntry("provider submissions (transactions)", "1");
    }

    @Test
    void shouldFailForGoodWhenATransactionIsDecidedTwice() {
        Run run = new Run();
        run.decisions.add(new Decision("txn_2", "INITIAL", "APPROVE"));

        Verdict verdict = run.check();

        assertThat(verdict.violations()).extracting(Verdict.Violation::what)
                .contains("1 transactions decided twice (two INITIAL decisions) (txn_2)");
        assertThat(verdict.figures()).containsEntry("  decided twice", "1");
    }

    @Test
    void shouldFailForGoodWhenAnEntryIdIsPublishedWithAnotherContent() {
        // Given the approval entry published again with another amount
        Run run = new Run();
        run.entries.add(entry("je:txn_1:approved", 1, "txn_1", 1501));

        Verdict verdict = run.check();

        assertThat(verdict.violations()).extracting(Verdict.Violation::what)
                .contains("1 entry ids on ledger.entries with different contents (je:txn_1:approved)");
        assertThat(verdict.settled()).isTrue();
        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void shouldFailWhenTwoEntriesShareASequence() {
        Run run = new Run();
        run.entries.add(entry("je:txn_9:approved", 2, "txn_9", 10));

        assertThat(run.check().violations()).extracting(Verdict.Violation::what)
                .contains("1 sequences with two different entries (2)");
    }

    @Test
    void shouldFailForGoodWhenThePaymentIsSubmittedTwice() {
        Run run = new Run();
        run.submissions.put("txn_1", 2);

        Verdict verdict = run.check();

        assertThat(verdict.violations()).extracting(Verdict.Violation::what)
                .contains("1 payments submitted to the provider twice (txn_1)");
        assertThat(verdict.settled()).isTrue();
    }

    @Test
    void shouldFailWhenADeclinedPaymentIsSubmitted() {
        Run run = new Run();
        run.submissions.put("txn_2", 1);

        assertThat(run.check().violations()).extracting(Verdict.Violation::what)
                .contains("1 payments submitted whose final outcome is not APPROVE (txn_2)");
    }

    @Test
    void shouldWaitWhenAnAcceptedRequestIsNotDecidedYet() {
        // Given a request accepted and written, but not decided
        Run run = new Run();
        run.requests.add(new Request("k-4", 202, "txn_4"));
        run.records.add(new RequestRecord("txn_4", "k-4"));

        Verdict verdict = run.check();

        // Then that is a violation still pending: waiting may resolve it
        assertThat(verdict.violations()).extracting(Verdict.Violation::what)
                .containsExactly("1 accepted requests without a decision (txn_4)");
        assertThat(verdict.settled()).isFalse();
        assertThat(verdict.figures()).containsEntry("  accepted, undecided", "1");
    }

    @Test
    void shouldWaitWhenAnAcceptedRequestIsNotOnTheTopicYetOrHasNoAnswer() {
        Run run = new Run();
        run.requests.add(new Request("k-4", 202, "txn_4"));
        run.requests.add(new Request("k-5", 0, null));

        Verdict verdict = run.check();

        assertThat(verdict.violations()).extracting(Verdict.Violation::what).contains(
                "1 accepted transactions not on payments.requests", "1 requests without a final answer");
        assertThat(verdict.settled()).isFalse();
    }

    @Test
    void shouldFailWhenARetryIsRefused() {
        Run run = new Run();
        run.requests.add(new Request("k-4", 422, null));

        assertThat(run.check().violations()).extracting(Verdict.Violation::what).contains(
                "1 requests refused although sent with the same key and body until answered: {422=1}");
    }

    @Test
    void shouldFailWhenOneKeyBecomesTwoTransactions() {
        Run run = new Run();
        run.records.add(new RequestRecord("txn_other", "k-2"));

        assertThat(run.check().violations()).extracting(Verdict.Violation::what).contains(
                "1 idempotency keys written as two transactions",
                "1 idempotency keys written as another transaction than the API answered");
    }

    @Test
    void shouldWaitForAnApprovalNotPostedAndForItsSubmission() {
        Run run = new Run();
        run.requests.add(new Request("k-4", 202, "txn_4"));
        run.records.add(new RequestRecord("txn_4", "k-4"));
        run.decisions.add(new Decision("txn_4", "INITIAL", "APPROVE"));

        Verdict verdict = run.check();

        assertThat(verdict.violations()).extracting(Verdict.Violation::what)
                .containsExactly("1 approvals not posted (txn_4)");
        assertThat(verdict.settled()).isFalse();
    }

    @Test
    void shouldFailWhenTheLedgerPostsWhatWasNotApproved() {
        // Given the refused payout's approval posted all the same
        Run run = new Run();
        run.entries.add(entry("je:txn_3:approved", 3, "txn_3", 99));
        run.ledger = new LedgerState(true, Map.of("KES", new Totals(3099, 3099)), 3, 3);

        assertThat(run.check().violations()).extracting(Verdict.Violation::what)
                .contains("1 approval entries of transactions whose final outcome is not APPROVE (txn_3)");
    }

    @Test
    void shouldFailWhenTheTrialBalanceIsNotZero() {
        Run run = new Run();
        run.ledger = new LedgerState(false, Map.of("KES", new Totals(3000, 2999)), 2, 2);

        assertThat(run.check().violations()).extracting(Verdict.Violation::what)
                .contains("1 currencies whose trial balance is not zero");
    }

    @Test
    void shouldWaitWhileTheLedgerHoldsEntriesItHasNotPublished() {
        Run run = new Run();
        run.ledger = new LedgerState(true, Map.of("KES", new Totals(4000, 4000)), 3, 2);

        Verdict verdict = run.check();

        assertThat(verdict.violations()).extracting(Verdict.Violation::what).contains(
                "1 ledger with entries not published",
                "1 currencies whose ledger totals differ from the sum of ledger.entries");
        assertThat(verdict.settled()).isFalse();
    }

    @Test
    void shouldWaitUntilTheProviderOutcomeIsInTheLedgerAndFailWhenItIsContradicted() {
        Run pending = new Run();
        pending.outcomes.put("txn_1", "PENDING");
        assertThat(pending.check().violations()).extracting(Verdict.Violation::what)
                .contains("1 submitted payments whose provider outcome is not in the ledger (txn_1)");

        Run contradicted = new Run();
        contradicted.outcomes.put("txn_1", "FAILED");
        assertThat(contradicted.check().violations()).extracting(Verdict.Violation::what)
                .contains("1 payments the ledger settled otherwise than the provider (txn_1)");
    }

    @Test
    void shouldFailOnAnyReconciliationBreakAndOnAReportThatDidNotRun() {
        Run run = new Run();
        run.breaks.add(new Break("b-1", "APPROVED_NOT_POSTED", "txn_1", false));
        run.breaks.add(new Break("b-1", "APPROVED_NOT_POSTED", "txn_1", false));
        run.reports.add(new ReportRun("mobile-money-hub", "2026-03-02", 0, 0, 0, false));

        Verdict verdict = run.check();

        assertThat(verdict.violations()).extracting(Verdict.Violation::what).contains(
                "1 reconciliation breaks {APPROVED_NOT_POSTED=1} (txn_1)", "1 settlement report runs that did not complete");
        assertThat(verdict.figures()).containsEntry("reconciliation breaks (recon.breaks)",
                "1 {APPROVED_NOT_POSTED=1}");
    }

    @Test
    void shouldWaitWhileAServiceIsDownAndSayWhich() {
        // Given risk-streams stopped after a failure, as its health check says
        Run run = new Run();
        run.health.put("risk-streams", 503);

        Verdict verdict = run.check();

        assertThat(verdict.violations()).extracting(Verdict.Violation::what)
                .containsExactly("1 services whose health check fails (risk-streams 503)");
        assertThat(verdict.settled()).isFalse();
        assertThat(verdict.figures()).containsEntry("services not healthy at the end", "risk-streams 503");
    }

    @Test
    void shouldCountABreakWhoseLateRecordCameAsStaleAndWaitForItsClearing() {
        // Given the refused payout's approval reported unposted before its ledger refusal's final DECLINE came
        Run run = new Run();
        run.breaks.add(new Break("APPROVED_NOT_POSTED:txn_3", "APPROVED_NOT_POSTED", "txn_3", false));

        Verdict verdict = run.check();

        // Then it is stale, fails the run, and the run is not settled until the reconciler clears it
        assertThat(verdict.figures())
                .containsEntry("  of which stale (the late decision or entry came after the grace period)", "1");
        assertThat(verdict.violations()).extracting(Verdict.Violation::what).containsExactly(
                awaitingClearing("txn_3"),
                "1 reconciliation breaks {APPROVED_NOT_POSTED=1} (txn_3)");
        assertThat(verdict.settled()).isFalse();
    }

    @Test
    void shouldNotCountABreakItsLateCounterpartClearedAndSayHowManyWere() {
        // Given two breaks raised while the ledger was held up, one cleared once its entry came and matched
        Run run = new Run();
        run.breaks.add(new Break("APPROVED_NOT_POSTED:txn_1", "APPROVED_NOT_POSTED", "txn_1", false));
        run.breaks.add(new Break("APPROVED_NOT_POSTED:txn_2", "APPROVED_NOT_POSTED", "txn_2", false));
        run.breaks.add(new Break("APPROVED_NOT_POSTED:txn_1", "APPROVED_NOT_POSTED", "txn_1", true));

        Verdict verdict = run.check();

        // Then only the one still standing fails the run
        assertThat(verdict.figures())
                .containsEntry("breaks raised and cleared (the late counterpart came and matched)", "1")
                .containsEntry("reconciliation breaks (recon.breaks)", "1 {APPROVED_NOT_POSTED=1}");
        assertThat(verdict.violations()).extracting(Verdict.Violation::what)
                .containsExactly("1 reconciliation breaks {APPROVED_NOT_POSTED=1} (txn_2)");
    }

    @Test
    void shouldWaitForTheReconcilerToClearTheBreakOfAnApprovalPostedSince() {
        // Given the break of an approval the ledger posted after the grace period, not cleared (yet)
        Run run = new Run();
        run.breaks.add(new Break("APPROVED_NOT_POSTED:txn_1", "APPROVED_NOT_POSTED", "txn_1", false));

        Verdict verdict = run.check();

        // Then the run is not settled: the reconciler clears it once it reads the entry, after its own lag
        assertThat(verdict.violations()).extracting(Verdict.Violation::what).containsExactly(
                awaitingClearing("txn_1"),
                "1 reconciliation breaks {APPROVED_NOT_POSTED=1} (txn_1)");
        assertThat(verdict.settled()).isFalse();
    }

    @Test
    void shouldBeSettledOnceTheReconcilerClearedEveryBreakOfAPostedApproval() {
        // Given the break of a posted approval, and then its clearing
        Run run = new Run();
        run.breaks.add(new Break("APPROVED_NOT_POSTED:txn_1", "APPROVED_NOT_POSTED", "txn_1", false));
        run.breaks.add(new Break("APPROVED_NOT_POSTED:txn_1", "APPROVED_NOT_POSTED", "txn_1", true));

        Verdict verdict = run.check();

        // Then nothing stands and nothing is waited for
        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.settled()).isTrue();
    }

    @Test
    void shouldWaitForTheReconcilerToClearTheUnresolvedPendingBreakOfAPaymentTheLedgerRefusedSince() {
        // Given the refused payout flagged for manual review before its ledger refusal reached the reconciler
        Run run = new Run();
        run.breaks.add(new Break("UNRESOLVED_PENDING:mobile-money-hub:txn_3", "UNRESOLVED_PENDING", "txn_3", false));

        Verdict verdict = run.check();

        // Then it is stale, and the run is not settled until the reconciler clears it
        assertThat(verdict.figures())
                .containsEntry("  of which stale (the late decision or entry came after the grace period)", "1");
        assertThat(verdict.violations()).extracting(Verdict.Violation::what).containsExactly(
                awaitingClearing("txn_3"),
                "1 reconciliation breaks {UNRESOLVED_PENDING=1} (txn_3)");
        assertThat(verdict.settled()).isFalse();

        // When the reconciler writes the break again, cleared
        run.breaks.add(new Break("UNRESOLVED_PENDING:mobile-money-hub:txn_3", "UNRESOLVED_PENDING", "txn_3", true));
        Verdict afterClearing = run.check();

        // Then nothing stands and nothing is waited for
        assertThat(afterClearing.violations()).isEmpty();
        assertThat(afterClearing.settled()).isTrue();
        assertThat(afterClearing.figures())
                .containsEntry("breaks raised and cleared (the late counterpart came and matched)", "1");
    }

    @Test
    void shouldWaitForTheReconcilerToClearTheUnresolvedPendingBreakOfAPaymentWhoseProviderOutcomeIsInTheLedger() {
        // Given the collection flagged for manual review before its SUCCEEDED (je:txn_1:succeeded) reached the
        // reconciler
        Run run = new Run();
        run.breaks.add(new Break("UNRESOLVED_PENDING:mobile-money-hub:txn_1", "UNRESOLVED_PENDING", "txn_1", false));

        Verdict verdict = run.check();

        // Then the run is not settled until the reconciler clears it
        assertThat(verdict.violations()).extracting(Verdict.Violation::what).containsExactly(
                awaitingClearing("txn_1"),
                "1 reconciliation breaks {UNRESOLVED_PENDING=1} (txn_1)");
        assertThat(verdict.settled()).isFalse();
    }

    @Test
    void shouldCountTheUnresolvedPendingBreakOfAPaymentStillPendingWithoutWaitingForItsClearing() {
        // Given an approved payout, posted and submitted, that the provider still has pending: no refusal, no
        // je:txn_4:succeeded or je:txn_4:failed, and the chaser flagged it
        Run run = new Run();
        run.requests.add(new Request("k-4", 202, "txn_4"));
        run.records.add(new RequestRecord("txn_4", "k-4"));
        run.decisions.add(new Decision("txn_4", "INITIAL", "APPROVE"));
        run.entries.add(entry("je:txn_4:approved", 3, "txn_4", 700));
        run.ledger = new LedgerState(true, Map.of("KES", new Totals(3700, 3700)), 3, 3);
        run.submissions.put("txn_4", 1);
        run.outcomes.put("txn_4", "PENDING");
        run.breaks.add(new Break("UNRESOLVED_PENDING:mobile-money-hub:txn_4", "UNRESOLVED_PENDING", "txn_4", false));

        Verdict verdict = run.check();

        // Then the break counts, is not stale, and nothing says the reconciler is about to clear it
        assertThat(verdict.figures())
                .containsEntry("reconciliation breaks (recon.breaks)", "1 {UNRESOLVED_PENDING=1}")
                .containsEntry("  of which stale (the late decision or entry came after the grace period)", "0");
        assertThat(verdict.violations()).extracting(Verdict.Violation::what).containsExactly(
                "1 submitted payments whose provider outcome is not in the ledger (txn_4)",
                "1 reconciliation breaks {UNRESOLVED_PENDING=1} (txn_4)");
    }

    /** The violation of breaks the suite waits for the reconciler to clear, naming one transaction. */
    private static String awaitingClearing(String transactionId) {
        return "1 APPROVED_NOT_POSTED or UNRESOLVED_PENDING breaks whose payment is posted, refused by the ledger or "
                + "has its provider outcome in the ledger since, not (yet) cleared by the reconciler ("
                + transactionId + ")";
    }
}
