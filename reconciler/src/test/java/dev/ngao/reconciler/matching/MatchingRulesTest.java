package dev.ngao.reconciler.matching;

import dev.ngao.events.Outcome;
import org.junit.jupiter.api.Test;

import java.util.TreeMap;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MatchingRulesTest {

    private static final long GRACE_MS = 120_000L;
    private static final long SEEN_AT_MS = 1_000_000L;
    private static final long STARTED_AT_MS = 0L;

    @Test
    void shouldWaitWhileOnlyOneHalfIsKnown() {
        assertThat(MatchingRules.onArrival(OpenItem.NOTHING.withDecision(approval(1_250L, "KES"))))
                .isEqualTo(Verdict.OPEN);
        assertThat(MatchingRules.onArrival(OpenItem.NOTHING.withPostings(debits(Map.of("KES", 1_250L)))))
                .isEqualTo(Verdict.OPEN);
    }

    @Test
    void shouldMatchOnlyTheSameAmountInTheSameCurrencyAlone() {
        OpenItem approved = OpenItem.NOTHING.withDecision(approval(1_250L, "KES"));

        assertThat(MatchingRules.onArrival(approved.withPostings(debits(Map.of("KES", 1_250L)))))
                .isEqualTo(Verdict.MATCHED);
        assertThat(MatchingRules.onArrival(approved.withPostings(debits(Map.of("KES", 1_249L)))))
                .isEqualTo(Verdict.AMOUNT_MISMATCH);
        assertThat(MatchingRules.onArrival(approved.withPostings(debits(Map.of("UGX", 1_250L)))))
                .isEqualTo(Verdict.AMOUNT_MISMATCH);
        assertThat(MatchingRules.onArrival(approved.withPostings(debits(Map.of("KES", 1_250L, "UGX", 1L)))))
                .isEqualTo(Verdict.AMOUNT_MISMATCH);
        assertThat(MatchingRules.onArrival(approved.withPostings(debits(Map.of()))))
                .isEqualTo(Verdict.AMOUNT_MISMATCH);
    }

    @Test
    void shouldReportAPostingOfADeclineAtOnce() {
        OpenItem item = new OpenItem(decision(Outcome.DECLINE, 1_250L, "KES"), debits(Map.of("KES", 1_250L)));
        assertThat(MatchingRules.onArrival(item)).isEqualTo(Verdict.POSTED_NOT_APPROVED);
    }

    @Test
    void shouldWaitForTheAnalystsResolutionWhenATransactionInReviewIsPostedAndReportItOnlyAfterTheGracePeriod() {
        OpenItem item = new OpenItem(decision(Outcome.REVIEW, 1_250L, "KES"), debits(Map.of("KES", 1_250L)));

        assertThat(MatchingRules.onArrival(item)).isEqualTo(Verdict.OPEN);
        assertThat(MatchingRules.onExpiry(item, SEEN_AT_MS + GRACE_MS - 1, GRACE_MS, STARTED_AT_MS))
                .isEqualTo(Verdict.OPEN);
        assertThat(MatchingRules.onExpiry(item, SEEN_AT_MS + GRACE_MS, GRACE_MS, STARTED_AT_MS))
                .isEqualTo(Verdict.POSTED_NOT_APPROVED);
    }

    @Test
    void shouldSettleAHalfOnlyOnceItsGracePeriodHasRunOut() {
        OpenItem approved = OpenItem.NOTHING.withDecision(approval(1_250L, "KES"));
        OpenItem declined = OpenItem.NOTHING.withDecision(decision(Outcome.DECLINE, 1_250L, "KES"));
        OpenItem posted = OpenItem.NOTHING.withPostings(debits(Map.of("KES", 1_250L)));
        long justBeforeMs = SEEN_AT_MS + GRACE_MS - 1;
        long atMs = SEEN_AT_MS + GRACE_MS;

        assertThat(MatchingRules.onExpiry(approved, justBeforeMs, GRACE_MS, STARTED_AT_MS)).isEqualTo(Verdict.OPEN);
        assertThat(MatchingRules.onExpiry(approved, atMs, GRACE_MS, STARTED_AT_MS))
                .isEqualTo(Verdict.APPROVED_NOT_POSTED);
        assertThat(MatchingRules.onExpiry(posted, justBeforeMs, GRACE_MS, STARTED_AT_MS)).isEqualTo(Verdict.OPEN);
        assertThat(MatchingRules.onExpiry(posted, atMs, GRACE_MS, STARTED_AT_MS))
                .isEqualTo(Verdict.POSTED_NOT_APPROVED);
        assertThat(MatchingRules.onExpiry(declined, atMs, GRACE_MS, STARTED_AT_MS)).isEqualTo(Verdict.NOTHING_OWED);
    }

    @Test
    void shouldCountTheGracePeriodFromTheTaskStartWhenTheItemWasSeenBefore() {
        // Given an approval seen long ago, before a restart
        OpenItem approved = OpenItem.NOTHING.withDecision(approval(1_250L, "KES"));
        long restartedAtMs = SEEN_AT_MS + 10 * GRACE_MS;

        // Then the task gives the backlog of entries a full grace period after its start
        assertThat(MatchingRules.onExpiry(approved, restartedAtMs + GRACE_MS - 1, GRACE_MS, restartedAtMs))
                .isEqualTo(Verdict.OPEN);
        assertThat(MatchingRules.onExpiry(approved, restartedAtMs + GRACE_MS, GRACE_MS, restartedAtMs))
                .isEqualTo(Verdict.APPROVED_NOT_POSTED);
    }

    private static SeenDecision approval(long amountMinor, String currency) {
        return decision(Outcome.APPROVE, amountMinor, currency);
    }

    private static SeenDecision decision(Outcome outcome, long amountMinor, String currency) {
        return new SeenDecision(outcome, amountMinor, currency, SEEN_AT_MS - 5, SEEN_AT_MS);
    }

    private static SeenPostings debits(Map<String, Long> debitsMinorByCurrency) {
        return new SeenPostings(new TreeMap<>(debitsMinorByCurrency), new TreeSet<>(List.of("je:tx-1:approved")),
                SEEN_AT_MS - 2, SEEN_AT_MS);
    }
}
