package dev.ngao.launcher.cli;

import dev.ngao.events.DecisionReason;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.Posting;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Side;

import dev.ngao.schemas.SampleEvents;
import java.time.Instant;
import java.util.List;

/** Records of one transaction as the services write them, for the analyst commands' tests. */
final class AnalystRecords {

    static final String MSISDN = "+254712345678";

    private AnalystRecords() {
    }

    static PaymentRequest request(String transactionId, String merchantId, long amountMinor, Instant at) {
        return SampleEvents.paymentRequest(transactionId)
                .setMerchantId(merchantId)
                .setAccountId("wallet-hash-" + transactionId)
                .setAmount(new Money(amountMinor, "KES"))
                .setMobileMoney(new MobileMoneyDetails(MSISDN, "+2547******78", "MPESA"))
                .setRequestedAt(at)
                .build();
    }

    static RiskDecision decision(PaymentRequest request, Outcome outcome, List<DecisionReason> reasons, Instant at) {
        return SampleEvents.riskDecision(request, outcome)
                .setReasons(reasons)
                .setDecidedAt(at)
                .setMerchantRuleSet(request.getMerchantId())
                .build();
    }

    static DecisionReason reason(String ruleId, Outcome outcome, String message, boolean shadow) {
        return DecisionReason.newBuilder().setRuleId(ruleId).setRuleSetVersion("v7").setOutcome(outcome)
                .setMessage(message).setShadow(shadow).setDimension("ACCOUNT").build();
    }

    static JournalEntry entry(String transactionId, String merchantId, long amountMinor, Instant at) {
        Money amount = new Money(amountMinor, "KES");
        return JournalEntry.newBuilder()
                .setEntryId("je:" + transactionId + ":approved")
                .setSequence(1L)
                .setTransactionId(transactionId)
                .setSourceEventId("decision:" + transactionId)
                .setKind("collection.approved")
                .setPostings(List.of(
                        new Posting("provider:mobile-money-hub:clearing:KES", Side.DEBIT, amount),
                        new Posting("merchant:" + merchantId + ":pending:KES", Side.CREDIT, amount)))
                .setPostedAt(at)
                .build();
    }
}
