package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.RiskDecision;

import java.time.Instant;
import java.util.List;

/** A ledger store driven through {@link PostingRules} one event per committed batch, for flow tests. */
final class TestLedger {

    static final Instant NOW = Instant.parse("2025-01-15T10:00:00Z");

    private final LedgerStore store;
    private final PostingRules rules = new PostingRules();
    private long decisionOffset;
    private long eventOffset;

    TestLedger(LedgerStore store) {
        this.store = store;
    }

    TestLedger decide(RiskDecision decision) {
        LedgerBatch batch = store.newBatch();
        rules.decision(batch, decision, "risk.decisions-0@" + decisionOffset++, NOW);
        store.commit(batch);
        return this;
    }

    TestLedger report(ProviderEvent event) {
        LedgerBatch batch = store.newBatch();
        rules.providerEvent(batch, event, "providers.events-0@" + eventOffset++, NOW);
        store.commit(batch);
        return this;
    }

    /** The balance of {@code account} on its normal side, 0 when nothing was posted to it. */
    long balance(String account) {
        AccountName name = AccountName.parse(account);
        return store.balance(name).map(found -> found.balanceMinor(name.normalSide())).orElse(0L);
    }

    List<String> kinds(String transactionId) {
        return store.entriesOfTransaction(transactionId).stream().map(JournalEntry::getKind).toList();
    }

    List<String> entryIds(String transactionId) {
        return store.entriesOfTransaction(transactionId).stream().map(JournalEntry::getEntryId).toList();
    }

    Lifecycle.Stage stage(String transactionId) {
        return store.lifecycle(transactionId).orElseThrow().stage();
    }

    boolean balanced() {
        return store.trialBalance().stream().allMatch(CurrencyTotals::balanced);
    }
}
