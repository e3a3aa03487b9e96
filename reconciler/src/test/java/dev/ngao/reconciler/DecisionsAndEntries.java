package dev.ngao.reconciler;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.Posting;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Side;

import dev.ngao.schemas.SampleEvents;
import java.time.Instant;
import java.util.List;

/** Decisions and ledger entries for tests, shaped as risk-streams and ledger-service write them. */
public final class DecisionsAndEntries {

    public static final Instant DECIDED_AT = Instant.parse("2025-03-10T08:00:00Z");
    public static final Instant POSTED_AT = Instant.parse("2025-03-10T08:00:01Z");

    private DecisionsAndEntries() {
    }

    public static RiskDecision decision(String transactionId, Outcome outcome, long amountMinor, String currency) {
        return SampleEvents.riskDecision(transactionId, outcome)
                .setAccountId("wallet-1")
                .setAmount(new Money(amountMinor, currency))
                .setRequestedAt(DECIDED_AT.minusMillis(5))
                .setDecidedAt(DECIDED_AT)
                .build();
    }

    public static RiskDecision approval(String transactionId, long amountMinor, String currency) {
        return decision(transactionId, Outcome.APPROVE, amountMinor, currency);
    }

    /** The approval entry the ledger posts: {@code je:<transactionId>:approved}, one debit and one credit. */
    public static JournalEntry approvalEntry(String transactionId, long amountMinor, String currency) {
        return entry("je:" + transactionId + ":approved", transactionId, "collection.approved", amountMinor, currency);
    }

    public static JournalEntry entry(String entryId, String transactionId, String kind, long amountMinor,
                                     String currency) {
        Money amount = new Money(amountMinor, currency);
        return JournalEntry.newBuilder()
                .setEntryId(entryId)
                .setSequence(1L)
                .setTransactionId(transactionId)
                .setSourceEventId("risk.decisions-0@0")
                .setKind(kind)
                .setPostings(List.of(
                        new Posting("provider:mobile-money-hub:clearing:" + currency, Side.DEBIT, amount),
                        new Posting("merchant:merchant-1:pending:" + currency, Side.CREDIT, amount)))
                .setPostedAt(POSTED_AT)
                .build();
    }
}
