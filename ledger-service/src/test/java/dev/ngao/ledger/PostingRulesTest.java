package dev.ngao.ledger;

import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.Posting;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class PostingRulesTest {

    private static final String SOURCE = "risk.decisions-0@7";

    private final PostingRules rules = new PostingRules();

    @Test
    void shouldDebitProviderClearingAndCreditMerchantPendingWhenCollectionIsApproved() {
        // Given
        RiskDecision decision = Decisions.approvedCollection("tx-1", 150_050);

        // When
        DraftEntry entry = rules.draft(decision, SOURCE).orElseThrow();

        // Then
        assertThat(entry.entryId()).isEqualTo("je:tx-1:approved");
        assertThat(entry.transactionId()).isEqualTo("tx-1");
        assertThat(entry.sourceEventId()).isEqualTo(SOURCE);
        assertThat(entry.kind()).isEqualTo(PostingRules.COLLECTION_APPROVED);
        assertThat(entry.postings()).extracting(Posting::getAccount, Posting::getSide)
                .containsExactly(
                        tuple("provider:mobile-money-hub:clearing:KES", Side.DEBIT),
                        tuple("merchant:m-1:pending:KES", Side.CREDIT));
        assertBalanced(entry, 150_050);
    }

    @Test
    void shouldDebitMerchantAvailableAndCreditPayoutsInFlightWhenPayoutIsApproved() {
        // Given
        RiskDecision decision = Decisions.approvedPayout("tx-2", 70_000);

        // When
        DraftEntry entry = rules.draft(decision, SOURCE).orElseThrow();

        // Then
        assertThat(entry.entryId()).isEqualTo("je:tx-2:approved");
        assertThat(entry.kind()).isEqualTo(PostingRules.PAYOUT_APPROVED);
        assertThat(entry.postings()).extracting(Posting::getAccount, Posting::getSide)
                .containsExactly(
                        tuple("merchant:m-1:available:KES", Side.DEBIT),
                        tuple("payouts:mobile-money-hub:in-flight:KES", Side.CREDIT));
        assertBalanced(entry, 70_000);
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = {"DECLINE", "REVIEW"})
    void shouldPostNothingWhenDecisionIsNotApproved(Outcome outcome) {
        // Given
        RiskDecision collection = Decisions.decision("tx-3", PaymentType.MOBILE_MONEY_COLLECTION, outcome, 100, "KES");
        RiskDecision payout = Decisions.decision("tx-4", PaymentType.MOBILE_MONEY_PAYOUT, outcome, 100, "KES");

        // When / Then
        assertThat(rules.draft(collection, SOURCE)).isEmpty();
        assertThat(rules.draft(payout, SOURCE)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = PaymentType.class, names = {"CIP_PAYMENT", "CARD_AUTHORIZATION", "CARD_LOAD", "REFUND", "UNKNOWN"})
    void shouldPostNothingYetWhenTypeHasNoRule(PaymentType type) {
        // Given
        RiskDecision decision = Decisions.decision("tx-5", type, Outcome.APPROVE, 100, "PEN");

        // When
        Optional<DraftEntry> entry = rules.draft(decision, SOURCE);

        // Then
        assertThat(entry).isEmpty();
    }

    @Test
    void shouldMakeSameEntryIdWhenSameDecisionIsDeliveredTwice() {
        // Given
        RiskDecision decision = Decisions.approvedCollection("tx-6", 500);

        // When
        DraftEntry first = rules.draft(decision, "risk.decisions-1@3").orElseThrow();
        DraftEntry second = rules.draft(decision, "risk.decisions-1@9").orElseThrow();

        // Then
        assertThat(second.entryId()).isEqualTo(first.entryId());
    }

    @Test
    void shouldRefuseWhenApprovedAmountIsNotPositive() {
        // Given
        RiskDecision zero = Decisions.approvedCollection("tx-7", 0);
        RiskDecision negative = Decisions.approvedPayout("tx-8", -100);

        // When / Then
        assertThatThrownBy(() -> rules.draft(zero, SOURCE)).isInstanceOf(UnpostableDecisionException.class);
        assertThatThrownBy(() -> rules.draft(negative, SOURCE)).isInstanceOf(UnpostableDecisionException.class);
    }

    @Test
    void shouldRefuseWhenIdsCannotFormAccountNames() {
        // Given
        RiskDecision badMerchant = Decisions.approvedCollection("tx-9", 100);
        badMerchant.setMerchantId("Merchant_1");
        RiskDecision badCurrency = Decisions.decision("tx-10", PaymentType.MOBILE_MONEY_COLLECTION, Outcome.APPROVE,
                100, "kes");
        RiskDecision blankTransaction = Decisions.approvedCollection(" ", 100);

        // When / Then
        assertThatThrownBy(() -> rules.draft(badMerchant, SOURCE)).isInstanceOf(UnpostableDecisionException.class)
                .hasMessageContaining("tx-9");
        assertThatThrownBy(() -> rules.draft(badCurrency, SOURCE)).isInstanceOf(UnpostableDecisionException.class);
        assertThatThrownBy(() -> rules.draft(blankTransaction, SOURCE)).isInstanceOf(UnpostableDecisionException.class);
    }

    private static void assertBalanced(DraftEntry entry, long amountMinor) {
        long debits = entry.postings().stream().filter(posting -> posting.getSide() == Side.DEBIT)
                .mapToLong(posting -> posting.getAmount().getAmountMinor()).sum();
        long credits = entry.postings().stream().filter(posting -> posting.getSide() == Side.CREDIT)
                .mapToLong(posting -> posting.getAmount().getAmountMinor()).sum();
        assertThat(debits).isEqualTo(amountMinor).isEqualTo(credits);
        assertThat(entry.postings()).allSatisfy(posting -> {
            assertThat(posting.getAmount().getCurrency()).isEqualTo("KES");
            assertThat(AccountName.parse(posting.getAccount()).currency()).isEqualTo("KES");
        });
    }
}
