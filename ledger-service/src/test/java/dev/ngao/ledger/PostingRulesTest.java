package dev.ngao.ledger;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static dev.ngao.ledger.Decisions.approved;
import static dev.ngao.ledger.Decisions.approvedCollection;
import static dev.ngao.ledger.Decisions.approvedPayout;
import static dev.ngao.ledger.Decisions.authorizationAnswer;
import static dev.ngao.ledger.Decisions.decision;
import static dev.ngao.ledger.Decisions.resolution;
import static dev.ngao.ledger.Decisions.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The postings of every flow at every step, through a real store: what each event posts, and what it does not. */
class PostingRulesTest {

    private static final String CLEARING = "provider:mobile-money-hub:clearing:KES";
    private static final String PENDING = "merchant:m-1:pending:KES";
    private static final String AVAILABLE = "merchant:m-1:available:KES";
    private static final String IN_FLIGHT = "payouts:mobile-money-hub:in-flight:KES";
    private static final String SUSPENSE = "suspense:mobile-money-hub:unmatched:KES";
    private static final String FEES = "fees:mobile-money-hub:charged:KES";
    private static final String CARD_AVAILABLE = "card:" + Decisions.CARD + ":available:KES";
    private static final String CARD_HELD = "card:" + Decisions.CARD + ":held:KES";

    @TempDir
    Path directory;

    private LedgerStore store;
    private TestLedger ledger;

    @BeforeEach
    void setUp() {
        store = LedgerStore.open(directory);
        ledger = new TestLedger(store);
    }

    @AfterEach
    void tearDown() {
        assertThat(ledger.balanced()).as("trial balance").isTrue();
        store.close();
    }

    /** Funds the merchant's available balance with a confirmed collection. */
    private void fundMerchant(long amountMinor) {
        ledger.decide(approvedCollection("funding", amountMinor)).report(status("funding", "ev-funding",
                ProviderStatus.SUCCEEDED));
    }

    @Test
    void shouldPostPendingOnApprovalAndAvailableWhenCollectionSucceeds() {
        // When
        ledger.decide(approvedCollection("tx-1", 1_000));

        // Then
        assertThat(ledger.balance(CLEARING)).isEqualTo(1_000);
        assertThat(ledger.balance(PENDING)).isEqualTo(1_000);
        assertThat(ledger.balance(AVAILABLE)).isZero();

        // When the provider confirms
        ledger.report(status("tx-1", "ev-1", ProviderStatus.SUCCEEDED));

        // Then
        assertThat(ledger.balance(PENDING)).isZero();
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(1_000);
        assertThat(ledger.kinds("tx-1")).containsExactly("collection.approved", "collection.confirmed");
        assertThat(ledger.entryIds("tx-1")).containsExactly("je:tx-1:approved", "je:tx-1:succeeded");
        assertThat(ledger.stage("tx-1")).isEqualTo(Lifecycle.Stage.SETTLED);
    }

    @ParameterizedTest
    @EnumSource(value = ProviderStatus.class, names = {"FAILED", "EXPIRED", "REVERSED"})
    void shouldReverseThePendingMoneyWhenCollectionFailsBeforeSuccess(ProviderStatus outcome) {
        // Given
        ledger.decide(approvedCollection("tx-1", 1_000));

        // When
        ledger.report(status("tx-1", "ev-1", outcome));

        // Then
        assertThat(ledger.balance(PENDING)).isZero();
        assertThat(ledger.balance(CLEARING)).isZero();
        assertThat(ledger.kinds("tx-1")).containsExactly("collection.approved", "collection.failed");
        assertThat(ledger.stage("tx-1")).isEqualTo(Lifecycle.Stage.CLOSED);
    }

    @Test
    void shouldTakeBackAvailableMoneyWhenConfirmedCollectionIsReversed() {
        // Given
        ledger.decide(approvedCollection("tx-1", 1_000)).report(status("tx-1", "ev-1", ProviderStatus.SUCCEEDED));

        // When
        ledger.report(status("tx-1", "ev-2", ProviderStatus.REVERSED));

        // Then
        assertThat(ledger.balance(AVAILABLE)).isZero();
        assertThat(ledger.balance(CLEARING)).isZero();
        assertThat(ledger.kinds("tx-1")).containsExactly("collection.approved", "collection.confirmed",
                "collection.reversed");
    }

    @Test
    void shouldHoldInFlightAndCommitWhenPayoutSucceeds() {
        // Given
        fundMerchant(5_000);

        // When
        ledger.decide(approvedPayout("tx-1", 2_000));

        // Then
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(3_000);
        assertThat(ledger.balance(IN_FLIGHT)).isEqualTo(2_000);

        // When
        ledger.report(status("tx-1", "ev-1", ProviderStatus.SUCCEEDED));

        // Then
        assertThat(ledger.balance(IN_FLIGHT)).isZero();
        assertThat(ledger.balance(CLEARING)).isEqualTo(3_000);
        assertThat(ledger.kinds("tx-1")).containsExactly("payout.approved", "payout.committed");
    }

    @ParameterizedTest
    @EnumSource(value = ProviderStatus.class, names = {"FAILED", "EXPIRED", "REVERSED"})
    void shouldVoidTheHoldWhenPayoutFails(ProviderStatus outcome) {
        // Given
        fundMerchant(5_000);
        ledger.decide(approvedPayout("tx-1", 2_000));

        // When
        ledger.report(status("tx-1", "ev-1", outcome));

        // Then
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(5_000);
        assertThat(ledger.balance(IN_FLIGHT)).isZero();
        assertThat(ledger.kinds("tx-1")).containsExactly("payout.approved", "payout.voided");
    }

    @Test
    void shouldGiveBackTheMoneyWhenCommittedPayoutIsReversed() {
        // Given
        fundMerchant(5_000);
        ledger.decide(approvedPayout("tx-1", 2_000)).report(status("tx-1", "ev-1", ProviderStatus.SUCCEEDED));

        // When
        ledger.report(status("tx-1", "ev-2", ProviderStatus.REVERSED));

        // Then
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(5_000);
        assertThat(ledger.balance(CLEARING)).isEqualTo(5_000);
        assertThat(ledger.kinds("tx-1")).containsExactly("payout.approved", "payout.committed", "payout.reversed");
    }

    @Test
    void shouldRefuseAndRecordWhenPayoutWouldTakeAvailableBelowZero() {
        // Given
        fundMerchant(1_000);

        // When
        ledger.decide(approvedPayout("tx-1", 1_001));

        // Then nothing is posted, the lifecycle says refused and the refusal is an audit record
        assertThat(ledger.kinds("tx-1")).isEmpty();
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(1_000);
        assertThat(ledger.stage("tx-1")).isEqualTo(Lifecycle.Stage.REFUSED);
        assertThat(store.refusalsAfter(0, 10)).singleElement().satisfies(refusal -> {
            AuditRecord record = refusal.value();
            assertThat(record.getOutcome()).isEqualTo(AuditOutcome.REFUSED);
            assertThat(record.getSubjectId()).isEqualTo("tx-1");
            assertThat(record.getAuditId()).isEqualTo("ledger-refusal:je:tx-1:approved");
            assertThat(record.getDetails()).containsEntry("account", AVAILABLE).containsEntry("amountMinor", "1001")
                    .containsEntry("availableMinor", "1000").containsEntry("reason", "insufficient-funds");
        });
        assertThat(store.lastRefusal()).isEqualTo(1);

        // When the provider pays it out anyway, the money goes to suspense, not to the merchant
        ledger.report(status("tx-1", "ev-1", ProviderStatus.SUCCEEDED));

        // Then
        assertThat(ledger.kinds("tx-1")).containsExactly("suspense.sent");
        assertThat(ledger.balance(SUSPENSE)).isEqualTo(-1_001);
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(1_000);
    }

    @Test
    void shouldNeverLetPayoutsRacingForOneBalanceSpendTheSameFunds() {
        // Given 10,500 available, and 25 payouts of 1,000 approved by risk at the same moment
        fundMerchant(10_500);
        for (int index = 0; index < 25; index++) {
            ledger.decide(approvedPayout("race-" + index, 1_000));
        }

        // Then the first ten hold their money, the other fifteen are refused, and nothing is overdrawn
        long held = java.util.stream.IntStream.range(0, 25)
                .filter(index -> ledger.stage("race-" + index) == Lifecycle.Stage.OPEN).count();
        assertThat(held).isEqualTo(10);
        assertThat(store.lastRefusal()).isEqualTo(15);
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(500);
        assertThat(ledger.balance(IN_FLIGHT)).isEqualTo(10_000);

        // When one held payout fails, its money is available again for the next one, and only for one
        ledger.report(status("race-0", "ev-race-0", ProviderStatus.FAILED));
        ledger.decide(approvedPayout("late-1", 1_000));
        ledger.decide(approvedPayout("late-2", 1_000));

        assertThat(ledger.stage("late-1")).isEqualTo(Lifecycle.Stage.OPEN);
        assertThat(ledger.stage("late-2")).isEqualTo(Lifecycle.Stage.REFUSED);
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(500);
    }

    @Test
    void shouldAllowPayoutOfExactlyTheAvailableBalance() {
        // Given
        fundMerchant(1_000);

        // When
        ledger.decide(approvedPayout("tx-1", 1_000));

        // Then
        assertThat(ledger.balance(AVAILABLE)).isZero();
        assertThat(ledger.stage("tx-1")).isEqualTo(Lifecycle.Stage.OPEN);
    }

    @Test
    void shouldPostNothingAtCreationPendingWhenPaidAndAvailableWhenCipIsSettled() {
        // When the code is created
        ledger.decide(approved("cip-1", PaymentType.CIP_PAYMENT, 3_000));

        // Then
        assertThat(ledger.kinds("cip-1")).isEmpty();
        assertThat(ledger.stage("cip-1")).isEqualTo(Lifecycle.Stage.OPEN);

        // When paid
        ledger.report(status("cip-1", "ev-1", ProviderStatus.SUCCEEDED));

        // Then
        assertThat(ledger.balance(PENDING)).isEqualTo(3_000);
        assertThat(ledger.stage("cip-1")).isEqualTo(Lifecycle.Stage.PAID);

        // When the settlement report confirms it (ingest calls a second SUCCEEDED a duplicate status)
        ledger.report(Decisions.settlementReport("cip-1", "ev-2", StatusTransition.DUPLICATE_STATUS));

        // Then
        assertThat(ledger.balance(PENDING)).isZero();
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(3_000);
        assertThat(ledger.kinds("cip-1")).containsExactly("cip.paid", "cip.settled");
    }

    @Test
    void shouldReleaseWithNoEntryWhenCipExpiresUnpaid() {
        // Given
        ledger.decide(approved("cip-1", PaymentType.CIP_PAYMENT, 3_000));

        // When
        ledger.report(status("cip-1", "ev-1", ProviderStatus.EXPIRED));

        // Then
        assertThat(ledger.kinds("cip-1")).isEmpty();
        assertThat(ledger.stage("cip-1")).isEqualTo(Lifecycle.Stage.CLOSED);

        // And a later payment report does not post (the reconciler owns a payment after expiry)
        ledger.report(status("cip-1", "ev-2", ProviderStatus.SUCCEEDED));
        assertThat(ledger.kinds("cip-1")).isEmpty();
    }

    @Test
    void shouldReversePendingWhenPaidCipIsReversedAndAvailableWhenSettledCipIsReversed() {
        // Given one paid code and one settled code
        ledger.decide(approved("cip-1", PaymentType.CIP_PAYMENT, 3_000))
                .report(status("cip-1", "ev-1", ProviderStatus.SUCCEEDED));
        ledger.decide(approved("cip-2", PaymentType.CIP_PAYMENT, 500))
                .report(Decisions.settlementReport("cip-2", "ev-2", StatusTransition.APPLIED));

        // When both are reversed
        ledger.report(status("cip-1", "ev-3", ProviderStatus.REVERSED));
        ledger.report(status("cip-2", "ev-4", ProviderStatus.REVERSED));

        // Then
        assertThat(ledger.kinds("cip-1")).containsExactly("cip.paid", "cip.reversed");
        assertThat(ledger.kinds("cip-2")).containsExactly("cip.paid", "cip.settled", "cip.reversed");
        assertThat(ledger.balance(PENDING)).isZero();
        assertThat(ledger.balance(AVAILABLE)).isZero();
        assertThat(ledger.balance(CLEARING)).isZero();
    }

    @Test
    void shouldMoveMerchantMoneyOntoTheCardWhenCardLoadIsApproved() {
        // Given
        fundMerchant(10_000);

        // When
        ledger.decide(approved("load-1", PaymentType.CARD_LOAD, 4_000));

        // Then
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(6_000);
        assertThat(ledger.balance(CARD_AVAILABLE)).isEqualTo(4_000);
        assertThat(ledger.kinds("load-1")).containsExactly("card-load.approved");

        // When the load is reversed
        ledger.report(status("load-1", "ev-1", ProviderStatus.REVERSED));

        // Then
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(10_000);
        assertThat(ledger.balance(CARD_AVAILABLE)).isZero();
    }

    @Test
    void shouldRefuseCardLoadWhenMerchantLacksFunds() {
        // When
        ledger.decide(approved("load-1", PaymentType.CARD_LOAD, 4_000));

        // Then
        assertThat(ledger.kinds("load-1")).isEmpty();
        assertThat(ledger.stage("load-1")).isEqualTo(Lifecycle.Stage.REFUSED);
    }

    @Test
    void shouldHoldThenCaptureWhenCardAuthorizationSucceeds() {
        // Given a card with 4,000
        fundMerchant(10_000);
        ledger.decide(approved("load-1", PaymentType.CARD_LOAD, 4_000));

        // When
        ledger.decide(approved("auth-1", PaymentType.CARD_AUTHORIZATION, 1_500));

        // Then
        assertThat(ledger.balance(CARD_AVAILABLE)).isEqualTo(2_500);
        assertThat(ledger.balance(CARD_HELD)).isEqualTo(1_500);

        // When the network captures it
        ledger.report(status("auth-1", "ev-1", ProviderStatus.SUCCEEDED));

        // Then
        assertThat(ledger.balance(CARD_HELD)).isZero();
        assertThat(ledger.kinds("auth-1")).containsExactly("card-auth.held", "card-auth.captured");

        // When the capture is reversed (a chargeback)
        ledger.report(status("auth-1", "ev-2", ProviderStatus.REVERSED));

        // Then
        assertThat(ledger.balance(CARD_AVAILABLE)).isEqualTo(4_000);
    }

    @ParameterizedTest
    @EnumSource(value = ProviderStatus.class, names = {"FAILED", "EXPIRED", "REVERSED"})
    void shouldReleaseTheHoldWhenCardAuthorizationExpiresOrFails(ProviderStatus outcome) {
        // Given
        fundMerchant(10_000);
        ledger.decide(approved("load-1", PaymentType.CARD_LOAD, 4_000));
        ledger.decide(approved("auth-1", PaymentType.CARD_AUTHORIZATION, 1_500));

        // When
        ledger.report(status("auth-1", "ev-1", outcome));

        // Then
        assertThat(ledger.balance(CARD_AVAILABLE)).isEqualTo(4_000);
        assertThat(ledger.balance(CARD_HELD)).isZero();
        assertThat(ledger.kinds("auth-1")).containsExactly("card-auth.held", "card-auth.released");
    }

    @Test
    void shouldReleaseTheHoldWhenTheNetworkWasAnsweredDeclineForRisksApproval() {
        // Given a hold for risk's approval, which came after the network was answered DECLINE by the default
        fundMerchant(10_000);
        ledger.decide(approved("load-1", PaymentType.CARD_LOAD, 4_000));
        ledger.decide(approved("auth-1", PaymentType.CARD_AUTHORIZATION, 1_500));

        // When the answer becomes risk's final decision, twice (a redelivery)
        ledger.decide(authorizationAnswer("auth-1", Outcome.DECLINE, 1_500));
        ledger.decide(authorizationAnswer("auth-1", Outcome.DECLINE, 1_500));

        // Then the hold is released once and nothing more posts: a capture the network cannot send changes nothing
        assertThat(ledger.balance(CARD_AVAILABLE)).isEqualTo(4_000);
        assertThat(ledger.balance(CARD_HELD)).isZero();
        assertThat(ledger.entryIds("auth-1")).containsExactly("je:auth-1:approved", "je:auth-1:voided");
        assertThat(ledger.stage("auth-1")).isEqualTo(Lifecycle.Stage.CLOSED);
        ledger.report(status("auth-1", "ev-1", ProviderStatus.SUCCEEDED));
        assertThat(ledger.balance(CARD_HELD)).isZero();
        assertThat(ledger.kinds("auth-1")).containsExactly("card-auth.held", "card-auth.released");
    }

    @Test
    void shouldHoldADeclineTheNetworkWasAnsweredApproveForAndCaptureIt() {
        // Given risk declined an authorization, and the network was answered APPROVE by the default
        fundMerchant(10_000);
        ledger.decide(approved("load-1", PaymentType.CARD_LOAD, 4_000));
        ledger.decide(decision("auth-1", PaymentType.CARD_AUTHORIZATION, Outcome.DECLINE, 1_500, "KES"));
        assertThat(ledger.kinds("auth-1")).isEmpty();

        // When the answer becomes risk's final decision
        ledger.decide(authorizationAnswer("auth-1", Outcome.APPROVE, 1_500));

        // Then the ledger holds it like any approval, and the network's capture posts
        assertThat(ledger.balance(CARD_HELD)).isEqualTo(1_500);
        ledger.report(status("auth-1", "ev-1", ProviderStatus.SUCCEEDED));
        assertThat(ledger.kinds("auth-1")).containsExactly("card-auth.held", "card-auth.captured");
        assertThat(ledger.balance(CARD_AVAILABLE)).isEqualTo(2_500);
    }

    @Test
    void shouldDeclineAReviewTheNetworkWasAnsweredDeclineForAndIgnoreALaterResolution() {
        fundMerchant(10_000);
        ledger.decide(approved("load-1", PaymentType.CARD_LOAD, 4_000));
        ledger.decide(decision("auth-1", PaymentType.CARD_AUTHORIZATION, Outcome.REVIEW, 1_500, "KES"));

        ledger.decide(authorizationAnswer("auth-1", Outcome.DECLINE, 1_500));
        ledger.decide(resolution("auth-1", PaymentType.CARD_AUTHORIZATION, Outcome.APPROVE, 1_500));

        assertThat(ledger.stage("auth-1")).isEqualTo(Lifecycle.Stage.DECLINED);
        assertThat(ledger.kinds("auth-1")).isEmpty();
        assertThat(ledger.balance(CARD_AVAILABLE)).isEqualTo(4_000);
    }

    @Test
    void shouldRefuseCardAuthorizationWhenCardLacksFunds() {
        // When
        ledger.decide(approved("auth-1", PaymentType.CARD_AUTHORIZATION, 1));

        // Then
        assertThat(ledger.kinds("auth-1")).isEmpty();
        assertThat(ledger.stage("auth-1")).isEqualTo(Lifecycle.Stage.REFUSED);
        assertThat(store.refusalsAfter(0, 10)).singleElement()
                .satisfies(refusal -> assertThat(refusal.value().getDetails())
                        .containsEntry("account", CARD_AVAILABLE));
    }

    @Test
    void shouldHoldThenSendOrVoidWhenRefundGoesThroughProvider() {
        // Given
        fundMerchant(10_000);

        // When
        ledger.decide(approved("ref-1", PaymentType.REFUND, 1_000));
        ledger.decide(approved("ref-2", PaymentType.REFUND, 2_000));
        ledger.report(status("ref-1", "ev-1", ProviderStatus.SUCCEEDED));
        ledger.report(status("ref-2", "ev-2", ProviderStatus.FAILED));

        // Then
        assertThat(ledger.kinds("ref-1")).containsExactly("refund.approved", "refund.sent");
        assertThat(ledger.kinds("ref-2")).containsExactly("refund.approved", "refund.voided");
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(9_000);
        assertThat(ledger.balance(IN_FLIGHT)).isZero();
    }

    @Test
    void shouldCreditTheCardAtOnceWhenRefundGoesToACard() {
        // Given
        fundMerchant(10_000);

        // When
        ledger.decide(Decisions.refundToCard("ref-1", 700));

        // Then
        assertThat(ledger.balance(CARD_AVAILABLE)).isEqualTo(700);
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(9_300);
        assertThat(ledger.kinds("ref-1")).containsExactly("refund.approved");
    }

    @Test
    void shouldPostProviderFeeOnceWhenEventCarriesAFee() {
        // Given
        ledger.decide(approvedCollection("tx-1", 1_000));

        // When the same event, with its fee, arrives three times
        for (int delivery = 0; delivery < 3; delivery++) {
            ledger.report(Decisions.withFee(status("tx-1", "ev-1", ProviderStatus.SUCCEEDED), 25));
        }

        // Then
        assertThat(ledger.kinds("tx-1")).containsExactly("collection.approved", "provider.fee",
                "collection.confirmed");
        assertThat(ledger.entryIds("tx-1")).contains("je:tx-1:fee:ev-1");
        assertThat(ledger.balance(FEES)).isEqualTo(25);
        assertThat(ledger.balance(CLEARING)).isEqualTo(975);
    }

    @Test
    void shouldWaitForTheDecisionWhenProviderStatusArrivesFirst() {
        // When the provider confirms before risk decides
        ledger.report(status("tx-1", "ev-1", ProviderStatus.SUCCEEDED));

        // Then nothing is posted yet, the status waits
        assertThat(ledger.kinds("tx-1")).isEmpty();
        assertThat(ledger.stage("tx-1")).isEqualTo(Lifecycle.Stage.UNDECIDED);
        assertThat(store.lifecycle("tx-1").orElseThrow().waiting()).hasSize(1);

        // When the approval arrives
        ledger.decide(approvedCollection("tx-1", 1_000));

        // Then both apply, as if they had come in order
        assertThat(ledger.kinds("tx-1")).containsExactly("collection.approved", "collection.confirmed");
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(1_000);
        assertThat(store.lifecycle("tx-1").orElseThrow().waiting()).isEmpty();
    }

    @Test
    void shouldPostNothingUntilResolvedWhenDecisionIsReview() {
        // Given a review, and the provider's confirmation meanwhile
        ledger.decide(Decisions.decision("tx-1", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.REVIEW, 1_000, "KES"));
        ledger.report(status("tx-1", "ev-1", ProviderStatus.SUCCEEDED));
        assertThat(ledger.kinds("tx-1")).isEmpty();
        assertThat(ledger.stage("tx-1")).isEqualTo(Lifecycle.Stage.IN_REVIEW);

        // When the analyst approves, twice (a redelivery), after a repeated INITIAL
        ledger.decide(Decisions.decision("tx-1", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.REVIEW, 1_000, "KES"));
        ledger.decide(Decisions.resolution("tx-1", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.APPROVE, 1_000));
        ledger.decide(Decisions.resolution("tx-1", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.APPROVE, 1_000));

        // Then it posts as an approval would, once, and the waiting status applies
        assertThat(ledger.kinds("tx-1")).containsExactly("collection.approved", "collection.confirmed");
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(1_000);
    }

    @Test
    void shouldPostNothingWhenReviewIsResolvedAsDecline() {
        // When
        ledger.decide(Decisions.decision("tx-1", PaymentType.MOBILE_MONEY_PAYOUT, Outcome.REVIEW, 1_000, "KES"));
        ledger.decide(Decisions.resolution("tx-1", PaymentType.MOBILE_MONEY_PAYOUT, Outcome.DECLINE, 1_000));

        // Then
        assertThat(ledger.kinds("tx-1")).isEmpty();
        assertThat(ledger.stage("tx-1")).isEqualTo(Lifecycle.Stage.DECLINED);
    }

    @Test
    void shouldPostNothingUntilTheChallengeResultAndThenPostAsItSays() {
        // Given a challenged collection and a challenged payout, a provider confirmation meanwhile
        ledger.decide(Decisions.decision("tx-1", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.CHALLENGE, 1_000, "KES"));
        ledger.decide(Decisions.decision("tx-2", PaymentType.MOBILE_MONEY_PAYOUT, Outcome.CHALLENGE, 1_000, "KES"));
        ledger.report(status("tx-1", "ev-1", ProviderStatus.SUCCEEDED));
        assertThat(ledger.kinds("tx-1")).isEmpty();
        assertThat(ledger.stage("tx-1")).isEqualTo(Lifecycle.Stage.IN_REVIEW);

        // When the first passes its challenge and the second fails (or expires)
        ledger.decide(Decisions.challengeResult("tx-1", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.APPROVE, 1_000));
        ledger.decide(Decisions.challengeResult("tx-2", PaymentType.MOBILE_MONEY_PAYOUT, Outcome.DECLINE, 1_000));

        // Then the first posts as an approval would, the waiting status applied; the second posts nothing
        assertThat(ledger.kinds("tx-1")).containsExactly("collection.approved", "collection.confirmed");
        assertThat(ledger.kinds("tx-2")).isEmpty();
        assertThat(ledger.stage("tx-2")).isEqualTo(Lifecycle.Stage.DECLINED);
    }

    @Test
    void shouldPutMoneyInSuspenseWhenProviderCollectsForADeclinedPayment() {
        // Given
        ledger.decide(Decisions.decision("tx-1", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.DECLINE, 1_000, "KES"));

        // When the provider says it collected anyway, twice
        ledger.report(status("tx-1", "ev-1", ProviderStatus.SUCCEEDED));
        ledger.report(status("tx-1", "ev-2", ProviderStatus.SUCCEEDED));

        // Then
        assertThat(ledger.kinds("tx-1")).containsExactly("suspense.received");
        assertThat(ledger.balance(SUSPENSE)).isEqualTo(1_000);
        assertThat(ledger.balance(PENDING)).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = StatusTransition.class, names = {"DUPLICATE_STATUS", "STALE", "CONFLICT"})
    void shouldIgnoreStatusWhenIngestDidNotApplyIt(StatusTransition transition) {
        // Given
        ledger.decide(approvedCollection("tx-1", 1_000));
        var event = status("tx-1", "ev-1", ProviderStatus.FAILED);
        event.setTransition(transition);

        // When
        ledger.report(event);

        // Then
        assertThat(ledger.kinds("tx-1")).containsExactly("collection.approved");
        assertThat(ledger.stage("tx-1")).isEqualTo(Lifecycle.Stage.OPEN);
    }

    @Test
    void shouldPostOnceWhenTheSameEventsAreDeliveredManyTimes() {
        // When every event of a payout and its funding is delivered ten times
        for (int delivery = 0; delivery < 10; delivery++) {
            fundMerchant(5_000);
            ledger.decide(approvedPayout("tx-1", 2_000));
            ledger.report(status("tx-1", "ev-1", ProviderStatus.SUCCEEDED));
        }

        // Then
        assertThat(ledger.kinds("funding")).containsExactly("collection.approved", "collection.confirmed");
        assertThat(ledger.kinds("tx-1")).containsExactly("payout.approved", "payout.committed");
        assertThat(ledger.balance(AVAILABLE)).isEqualTo(3_000);
        assertThat(store.head().sequence()).isEqualTo(4);
    }

    @Test
    void shouldRefuseAsBadInputAndChangeNothingWhenApprovedPaymentCannotBePosted() {
        // Given
        LedgerBatch batch = store.newBatch();
        PostingRules rules = new PostingRules();
        var badMerchant = approvedCollection("tx-2", 100);
        badMerchant.setMerchantId("M 1");

        // When / Then
        assertThatThrownBy(() -> rules.decision(batch, approvedCollection("tx-1", 0), "s", TestLedger.NOW))
                .isInstanceOf(UnpostableDecisionException.class);
        assertThatThrownBy(() -> rules.decision(batch, badMerchant, "s", TestLedger.NOW))
                .isInstanceOf(UnpostableDecisionException.class);
        assertThatThrownBy(() -> rules.decision(batch, approvedCollection("", 100), "s", TestLedger.NOW))
                .isInstanceOf(UnpostableDecisionException.class);
        assertThatThrownBy(() -> rules.decision(batch, approved("tx-3", PaymentType.UNKNOWN, 100), "s",
                TestLedger.NOW)).isInstanceOf(UnpostableDecisionException.class);
        assertThat(batch.isEmpty()).isTrue();
    }
}
