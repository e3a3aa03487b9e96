package dev.ngao.reconciler.view;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StatusTransition;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static dev.ngao.reconciler.DecisionsAndEntries.approvalEntry;
import static dev.ngao.reconciler.ProviderFixtures.approval;
import static dev.ngao.reconciler.ProviderFixtures.event;
import static dev.ngao.reconciler.ProviderFixtures.money;
import static org.assertj.core.api.Assertions.assertThat;

class PostedPaymentsViewTest {

    private static final String HUB = "mobile-money-hub";
    private static final Instant DECIDED_AT = Instant.parse("2026-11-20T22:00:00Z");
    private static final TopicPartition DECISIONS_0 = new TopicPartition(Topics.RISK_DECISIONS.name(), 0);

    @TempDir
    Path directory;

    @Test
    void shouldKeepPaymentsAndOffsetsTogetherWhenReopened() {
        // Given an approval committed with the offset behind it
        try (PostedPaymentsView view = PostedPaymentsView.open(directory)) {
            ViewBatch batch = view.newBatch();
            batch.onDecision(approval("t1", HUB, 1_000, "KES", DECIDED_AT));
            batch.advanceOffset(DECISIONS_0, 42);
            view.commit(batch);
        }

        // When the view is reopened, then both are there
        try (PostedPaymentsView view = PostedPaymentsView.open(directory)) {
            assertThat(view.nextOffset(DECISIONS_0)).hasValue(42);
            assertThat(view.payment("t1")).get().satisfies(payment -> {
                assertThat(payment.approved()).isTrue();
                assertThat(payment.expectedAmount()).isEqualTo(money(1_000, "KES"));
            });
        }
    }

    @Test
    void shouldMovePaymentToItsReferenceAndSettlementDayWhenTheProviderSettlesIt() {
        try (PostedPaymentsView view = PostedPaymentsView.open(directory)) {
            // Given an approval on the 20th, indexed under its transaction id while the provider is silent
            commit(view, batch -> batch.onDecision(approval("t1", HUB, 1_000, "KES", DECIDED_AT)));
            assertThat(references(view, LocalDate.parse("2026-11-20"))).containsExactly("t1");

            // When the provider says it succeeded after midnight, with its reference
            commit(view, batch -> batch.onProviderEvent(event("t1", HUB, "R1", ProviderStatus.SUCCEEDED,
                    Instant.parse("2026-11-21T00:30:00Z"), null)));

            // Then it is indexed under its reference on the settlement day, and nowhere else
            assertThat(references(view, LocalDate.parse("2026-11-20"))).isEmpty();
            assertThat(references(view, LocalDate.parse("2026-11-21"))).containsExactly("R1");
        }
    }

    @Test
    void shouldPreferThePostedAmountAndIgnoreAStatusIngestDidNotApplyWhenUpdated() {
        try (PostedPaymentsView view = PostedPaymentsView.open(directory)) {
            // Given an approval of 1000, a ledger entry of 1200, a SUCCEEDED event, and a STALE PENDING after it
            commit(view, batch -> {
                batch.onDecision(approval("t1", HUB, 1_000, "KES", DECIDED_AT));
                batch.onEntry(approvalEntry("t1", 1_200, "KES"));
                batch.onProviderEvent(event("t1", HUB, "R1", ProviderStatus.SUCCEEDED, DECIDED_AT, null));
            });
            ProviderEvent stale = event("t1", HUB, "R1", ProviderStatus.PENDING, DECIDED_AT.plusSeconds(5),
                    money(30, "KES"));
            stale.setTransition(StatusTransition.STALE);
            commit(view, batch -> batch.onProviderEvent(stale));

            // Then the ledger's posted amount is expected, the status stays SUCCEEDED, and the fee is learnt
            assertThat(view.payment("t1")).get().satisfies(payment -> {
                assertThat(payment.expectedAmount()).isEqualTo(money(1_200, "KES"));
                assertThat(payment.status()).isEqualTo(ProviderStatus.SUCCEEDED);
                assertThat(payment.fee()).isEqualTo(money(30, "KES"));
            });
        }
    }

    @Test
    void shouldListOnlyUnsettledApprovalsWhenAskedForPendingPayments() {
        try (PostedPaymentsView view = PostedPaymentsView.open(directory)) {
            // Given two approvals, one settled
            commit(view, batch -> {
                batch.onDecision(approval("t1", HUB, 1_000, "KES", DECIDED_AT));
                batch.onDecision(approval("t2", HUB, 1_000, "KES", DECIDED_AT.plusSeconds(1)));
                batch.onProviderEvent(event("t2", HUB, "R2", ProviderStatus.FAILED, DECIDED_AT, null));
            });

            // Then only the other is pending
            assertThat(view.pendingSince(DECIDED_AT.plusSeconds(60).toEpochMilli(), 10))
                    .extracting(ViewPayment::transactionId).containsExactly("t1");
        }
    }

    @Test
    void shouldStopChasingAnApprovalWhenItsFinalDeclineFollows() {
        try (PostedPaymentsView view = PostedPaymentsView.open(directory)) {
            // Given three approvals: one the ledger refused for want of funds, one whose card authorization the
            // network was answered DECLINE for, one left as it is
            commit(view, batch -> {
                batch.onDecision(approval("refused", HUB, 1_000, "KES", DECIDED_AT));
                batch.onDecision(approval("answered", HUB, 1_000, "KES", DECIDED_AT.plusSeconds(1)));
                batch.onDecision(approval("kept", HUB, 1_000, "KES", DECIDED_AT.plusSeconds(2)));
            });

            // When their final decisions follow, in a later poll
            commit(view, batch -> {
                batch.onDecision(finalDecline("refused", DecisionKind.LEDGER_REFUSAL));
                batch.onDecision(finalDecline("answered", DecisionKind.AUTHORIZATION_ANSWER));
                batch.onDecision(finalDecline("kept", DecisionKind.INITIAL));
            });

            // Then only the approval still standing waits for its provider, and the refused one is off its day
            assertThat(view.pendingSince(DECIDED_AT.plusSeconds(60).toEpochMilli(), 10))
                    .extracting(ViewPayment::transactionId).containsExactly("kept");
            assertThat(view.payment("refused")).get().extracting(ViewPayment::approved).isEqualTo(false);
            assertThat(references(view, LocalDate.of(2026, 11, 20))).containsExactly("kept");
        }
    }

    private static RiskDecision finalDecline(String transactionId, DecisionKind kind) {
        RiskDecision decision = approval(transactionId, HUB, 1_000, "KES", DECIDED_AT.plusSeconds(10));
        decision.setOutcome(Outcome.DECLINE);
        decision.setKind(kind);
        return decision;
    }

    @Test
    void shouldListChaseStatesASliceAtATimeAndForgetAnEndedChaseWithItsBreak() {
        try (PostedPaymentsView view = PostedPaymentsView.open(directory)) {
            // Given three chased payments, one of them flagged with its break remembered as emitted
            for (String transactionId : List.of("t3", "t1", "t2")) {
                view.putChaseState(transactionId, new byte[] {1});
            }
            view.markEmitted(java.util.Map.of("UNRESOLVED_PENDING:mobile-money-hub:t2", 7L));

            // When they are listed two at a time, then in transaction id order, each slice after the last
            assertThat(view.chaseStatesAfter(null, 2)).extracting(PostedPaymentsView.ChaseEntry::transactionId)
                    .containsExactly("t1", "t2");
            assertThat(view.chaseStatesAfter("t2", 2)).extracting(PostedPaymentsView.ChaseEntry::transactionId)
                    .containsExactly("t3");
            assertThat(view.chaseStatesAfter("t3", 2)).isEmpty();

            // And when a chase ends with its break, both are gone, and only that
            view.endChase("t2", "UNRESOLVED_PENDING:mobile-money-hub:t2");
            assertThat(view.chaseState("t2")).isEmpty();
            assertThat(view.emittedAt("UNRESOLVED_PENDING:mobile-money-hub:t2")).isEmpty();
            assertThat(view.chaseStatesAfter(null, 10)).extracting(PostedPaymentsView.ChaseEntry::transactionId)
                    .containsExactly("t1", "t3");
        }
    }

    @Test
    void shouldDropARunStoreLeftByACrashWhenReopened() {
        // Given a run store left open when the view was closed (a crash in the middle of a run)
        try (PostedPaymentsView view = PostedPaymentsView.open(directory)) {
            RunStore run = view.openRunStore("left-over");
            run.add("R1".getBytes(StandardCharsets.UTF_8), 1, new byte[] {1});
            run.flush();
        }

        // When reopened, then it opens cleanly and a new run sees no rows of the old one
        try (PostedPaymentsView view = PostedPaymentsView.open(directory); RunStore run = view.openRunStore("new");
             RunStore.RowCursor rows = run.rows()) {
            assertThat(rows.valid()).isFalse();
        }
    }

    private static void commit(PostedPaymentsView view, java.util.function.Consumer<ViewBatch> changes) {
        ViewBatch batch = view.newBatch();
        changes.accept(batch);
        view.commit(batch);
    }

    private static List<String> references(PostedPaymentsView view, LocalDate day) {
        List<String> references = new ArrayList<>();
        try (PostedPaymentsView.DayCursor cursor = view.openDay(HUB, day)) {
            cursor.forEachRemaining(indexed -> references.add(new String(indexed.reference(), StandardCharsets.UTF_8)));
        }
        return references;
    }
}
