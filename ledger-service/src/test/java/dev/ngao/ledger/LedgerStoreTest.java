package dev.ngao.ledger;

import dev.ngao.schemas.topics.Topics;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.Money;
import dev.ngao.events.Posting;
import dev.ngao.events.Side;
import dev.ngao.platform.invariant.InvariantViolation;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerStoreTest {

    private static final TopicPartition PARTITION_0 = new TopicPartition(Topics.RISK_DECISIONS.name(), 0);
    private static final TopicPartition PARTITION_1 = new TopicPartition(Topics.RISK_DECISIONS.name(), 1);
    private static final Instant NOW = Instant.parse("2025-01-15T10:00:00.123456Z");
    private static final AccountName MERCHANT_PENDING = AccountName.parse("merchant:m-1:pending:KES");
    private static final AccountName PROVIDER_CLEARING = AccountName.parse("provider:mobile-money-hub:clearing:KES");

    @TempDir
    Path directory;

    private LedgerStore store;

    @BeforeEach
    void openStore() {
        store = LedgerStore.open(directory);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void shouldApplyEntriesBalancesAndOffsetsWhenBatchIsCommitted() {
        // Given
        LedgerBatch batch = store.newBatch();
        batch.post(collection("tx-1", 1_000), NOW);
        batch.advanceOffset(PARTITION_0, 5);
        batch.post(collection("tx-2", 250), NOW);
        batch.advanceOffset(PARTITION_1, 8);

        // When
        List<JournalEntry> posted = store.commit(batch);

        // Then
        assertThat(posted).extracting(JournalEntry::getEntryId).containsExactly("je:tx-1:approved", "je:tx-2:approved");
        assertThat(store.entry("je:tx-1:approved")).contains(posted.get(0));
        assertThat(store.balance(MERCHANT_PENDING)).contains(new AccountBalance(MERCHANT_PENDING.toString(), "KES", 0, 1_250));
        assertThat(store.balance(PROVIDER_CLEARING)).contains(new AccountBalance(PROVIDER_CLEARING.toString(), "KES", 1_250, 0));
        assertThat(store.nextOffset(PARTITION_0)).hasValue(5);
        assertThat(store.nextOffset(PARTITION_1)).hasValue(8);
        assertThat(store.head().sequence()).isEqualTo(2);
    }

    @Test
    void shouldKeepEntriesBalancesOffsetsAndHeadWhenStoreIsReopened() {
        // Given
        LedgerBatch batch = store.newBatch();
        batch.post(collection("tx-1", 1_000), NOW);
        batch.advanceOffset(PARTITION_0, 3);
        JournalEntry posted = store.commit(batch).get(0);
        store.markPublished(1);

        // When
        store.close();
        store = LedgerStore.open(directory);

        // Then
        assertThat(store.entry("je:tx-1:approved")).contains(posted);
        assertThat(store.entriesOfTransaction("tx-1")).containsExactly(posted);
        assertThat(store.balance(MERCHANT_PENDING)).map(AccountBalance::creditsMinor).contains(1_000L);
        assertThat(store.nextOffset(PARTITION_0)).hasValue(3);
        assertThat(store.head()).isEqualTo(new ChainHead(1, posted.getHash()));
        assertThat(store.publishedSequence()).isEqualTo(1);
        assertThat(posted.getPostedAt()).isEqualTo(Instant.parse("2025-01-15T10:00:00.123Z"));
    }

    @Test
    void shouldNotApplyTwiceWhenEntryIdIsAlreadyPosted() {
        // Given
        LedgerBatch first = store.newBatch();
        assertThat(first.post(collection("tx-1", 1_000), NOW)).isEqualTo(LedgerBatch.Result.POSTED);
        assertThat(first.post(collection("tx-1", 1_000), NOW)).as("repeated within a batch")
                .isEqualTo(LedgerBatch.Result.DUPLICATE);
        store.commit(first);

        // When
        LedgerBatch second = store.newBatch();
        LedgerBatch.Result postedAgain = second.post(collection("tx-1", 1_000), NOW);
        second.advanceOffset(PARTITION_0, 2);
        store.commit(second);

        // Then
        assertThat(postedAgain).as("repeated in a later batch").isEqualTo(LedgerBatch.Result.DUPLICATE);
        assertThat(store.entriesOfTransaction("tx-1")).hasSize(1);
        assertThat(store.balance(MERCHANT_PENDING)).map(AccountBalance::creditsMinor).contains(1_000L);
        assertThat(store.head().sequence()).isEqualTo(1);
        assertThat(store.nextOffset(PARTITION_0)).hasValue(2);
    }

    @Test
    void shouldRefuseWhenBatchWritesAnEntryIdThatExists() {
        // Given two batches started from the same head, each posting tx-1 (a bug the store must catch)
        LedgerBatch first = store.newBatch();
        first.post(collection("tx-1", 1_000), NOW);
        LedgerBatch stale = store.newBatch();
        stale.post(collection("tx-1", 1_000), NOW);
        store.commit(first);

        // When / Then
        assertThatThrownBy(() -> store.commit(stale)).isInstanceOf(InvariantViolation.class);
        assertThat(store.head().sequence()).isEqualTo(1);
        assertThat(store.balance(MERCHANT_PENDING)).map(AccountBalance::creditsMinor).contains(1_000L);
    }

    @Test
    void shouldRefuseAndWriteNothingWhenEntryIsUnbalanced() {
        // Given a good entry, then one whose credit is smaller than its debit, in one batch
        LedgerBatch batch = store.newBatch();
        batch.post(collection("tx-1", 1_000), NOW);
        batch.post(new DraftEntry("je:tx-2:approved", "tx-2", "test", "broken", List.of(
                posting(PROVIDER_CLEARING, Side.DEBIT, 500),
                posting(MERCHANT_PENDING, Side.CREDIT, 499))), NOW);
        batch.advanceOffset(PARTITION_0, 9);

        // When / Then
        assertThatThrownBy(() -> store.commit(batch))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("je:tx-2:approved")
                .hasMessageContaining("not balanced");
        assertNothingWritten();
    }

    @Test
    void shouldRefuseAndWriteNothingWhenAmountIsNotPositiveOrCurrencyDiffersFromAccount() {
        // Given
        LedgerBatch zero = store.newBatch();
        zero.post(new DraftEntry("je:tx-1:approved", "tx-1", "test", "broken", List.of(
                posting(PROVIDER_CLEARING, Side.DEBIT, 0),
                posting(MERCHANT_PENDING, Side.CREDIT, 0))), NOW);
        LedgerBatch wrongCurrency = store.newBatch();
        wrongCurrency.post(new DraftEntry("je:tx-2:approved", "tx-2", "test", "broken", List.of(
                posting(AccountName.parse("provider:p:clearing:UGX"), Side.DEBIT, 100),
                posting(MERCHANT_PENDING, Side.CREDIT, 100))), NOW);

        // When / Then
        assertThatThrownBy(() -> store.commit(zero)).isInstanceOf(InvariantViolation.class);
        assertThatThrownBy(() -> store.commit(wrongCurrency)).isInstanceOf(InvariantViolation.class);
        assertNothingWritten();
    }

    @Test
    void shouldLinkEntriesWhenHashChainGrowsAcrossBatchesAndRestarts() {
        // Given
        LedgerBatch first = store.newBatch();
        first.post(collection("tx-1", 1_000), NOW);
        first.post(collection("tx-2", 2_000), NOW);
        List<JournalEntry> firstEntries = store.commit(first);
        store.close();
        store = LedgerStore.open(directory);

        // When
        LedgerBatch second = store.newBatch();
        second.post(collection("tx-3", 3_000), NOW);
        JournalEntry third = store.commit(second).get(0);

        // Then
        JournalEntry one = firstEntries.get(0);
        JournalEntry two = firstEntries.get(1);
        assertThat(List.of(one.getSequence(), two.getSequence(), third.getSequence())).containsExactly(1L, 2L, 3L);
        assertThat(one.getPreviousHash()).isNull();
        assertThat(two.getPreviousHash()).isEqualTo(one.getHash());
        assertThat(third.getPreviousHash()).isEqualTo(two.getHash());
        assertThat(List.of(one, two, third)).allSatisfy(entry -> {
            assertThat(entry.getHash()).matches("[0-9a-f]{64}").isEqualTo(EntryHash.of(entry));
        });
        assertThat(store.entriesAfter(0, 10)).containsExactly(one, two, third);
        assertThat(store.entriesAfter(2, 10)).containsExactly(third);
    }

    @Test
    void shouldRefuseWhenEntryHashIsTampered() {
        // Given
        LedgerBatch batch = store.newBatch();
        batch.post(collection("tx-1", 1_000), NOW);
        batch.entries().get(0).setKind("edited");

        // When / Then
        assertThatThrownBy(() -> store.commit(batch)).isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("wrong hash");
        assertNothingWritten();
    }

    @Test
    void shouldChangeHashWhenAnyHashedFieldChanges() {
        // Given
        LedgerBatch batch = store.newBatch();
        batch.post(collection("tx-1", 1_000), NOW);
        JournalEntry entry = batch.entries().get(0);
        String original = EntryHash.of(entry);

        // When
        JournalEntry otherAmount = JournalEntry.newBuilder(entry).build();
        otherAmount.getPostings().get(0).getAmount().setAmountMinor(999);
        JournalEntry otherPrevious = JournalEntry.newBuilder(entry).setPreviousHash("00").build();

        // Then
        assertThat(EntryHash.of(otherAmount)).isNotEqualTo(original);
        assertThat(EntryHash.of(otherPrevious)).isNotEqualTo(original);
        assertThat(EntryHash.of(JournalEntry.newBuilder(entry).setHash("ignored").build())).isEqualTo(original);
    }

    @Test
    void shouldSumEveryAccountPerCurrencyWhenTrialBalanceIsAsked() {
        // Given
        LedgerBatch batch = store.newBatch();
        batch.post(collection("tx-1", 1_000), NOW);
        batch.post(payout("tx-2", 400), NOW);
        batch.post(draft("tx-3", "provider:mobile-money-hub:clearing:UGX", "merchant:m-1:pending:UGX", 5_000), NOW);
        store.commit(batch);

        // When
        List<CurrencyTotals> totals = store.trialBalance();

        // Then
        assertThat(totals).containsExactly(
                new CurrencyTotals("KES", 1_400, 1_400),
                new CurrencyTotals("UGX", 5_000, 5_000));
        assertThat(totals).allMatch(CurrencyTotals::balanced);
    }

    @Test
    void shouldListAccountHistoryInSequenceOrderWhenAccountHasEntries() {
        // Given
        LedgerBatch batch = store.newBatch();
        batch.post(collection("tx-1", 1_000), NOW);
        batch.post(payout("tx-2", 400), NOW);
        batch.post(collection("tx-3", 3_000), NOW);
        store.commit(batch);

        // When
        List<String> history = store.entryIdsOfAccount(MERCHANT_PENDING, 10);

        // Then
        assertThat(history).containsExactly("je:tx-1:approved", "je:tx-3:approved");
        assertThat(store.entryIdsOfAccount(MERCHANT_PENDING, 1)).containsExactly("je:tx-1:approved");
        assertThat(store.entryIdsOfAccount(AccountName.parse("merchant:m-1:pending:UGX"), 10)).isEmpty();
    }

    @Test
    void shouldRefuseWhenStoreIsClosed() {
        // Given
        store.close();

        // When / Then
        assertThatThrownBy(() -> store.balance(MERCHANT_PENDING)).isInstanceOf(LedgerStoreException.class);
    }

    private void assertNothingWritten() {
        assertThat(store.head()).isEqualTo(ChainHead.GENESIS);
        assertThat(store.entry("je:tx-1:approved")).isEmpty();
        assertThat(store.balance(MERCHANT_PENDING)).isEmpty();
        assertThat(store.balance(PROVIDER_CLEARING)).isEmpty();
        assertThat(store.nextOffset(PARTITION_0)).isEmpty();
        assertThat(store.trialBalance()).isEmpty();
    }

    private static DraftEntry collection(String transactionId, long amountMinor) {
        return draft(transactionId, PROVIDER_CLEARING.toString(), MERCHANT_PENDING.toString(), amountMinor);
    }

    private static DraftEntry payout(String transactionId, long amountMinor) {
        return draft(transactionId, "merchant:m-1:available:KES", "payouts:mobile-money-hub:in-flight:KES", amountMinor);
    }

    private static DraftEntry draft(String transactionId, String debit, String credit, long amountMinor) {
        return new DraftEntry(PostingRules.approvedEntryId(transactionId), transactionId, "risk.decisions-0@1",
                "test", List.of(posting(AccountName.parse(debit), Side.DEBIT, amountMinor),
                        posting(AccountName.parse(credit), Side.CREDIT, amountMinor)));
    }

    private static Posting posting(AccountName account, Side side, long amountMinor) {
        return Posting.newBuilder()
                .setAccount(account.toString())
                .setSide(side)
                .setAmount(Money.newBuilder().setAmountMinor(amountMinor).setCurrency(account.currency()).build())
                .build();
    }
}
