package dev.ngao.launcher.cli;

import dev.ngao.events.AccountKind;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.Posting;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Side;

import java.time.Instant;
import java.util.List;

/** Records of one transaction as the services write them, for the analyst commands' tests. */
final class AnalystRecords {

    static final String MSISDN = "+254712345678";

    private AnalystRecords() {
    }

    static PaymentRequest request(String transactionId, String merchantId, long amountMinor, Instant at) {
        return PaymentRequest.newBuilder()
                .setTransactionId(transactionId)
                .setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId(merchantId)
                .setMerchantReference("order-" + transactionId)
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("wallet-hash-" + transactionId)
                .setAmount(new Money(amountMinor, "KES"))
                .setProvider("mobile-money-hub")
                .setMobileMoney(new MobileMoneyDetails(MSISDN, "+2547******78", "MPESA"))
                .setApiKeyId("key-1")
                .setRequestedAt(at)
                .build();
    }

    static RiskDecision decision(PaymentRequest request, Outcome outcome, List<DecisionReason> reasons, Instant at) {
        return RiskDecision.newBuilder()
                .setTransactionId(request.getTransactionId())
                .setType(request.getType())
                .setMerchantId(request.getMerchantId())
                .setAccountKind(request.getAccountKind())
                .setAccountId(request.getAccountId())
                .setAmount(request.getAmount())
                .setProvider(request.getProvider())
                .setOutcome(outcome)
                .setReasons(reasons)
                .setRequestedAt(request.getRequestedAt())
                .setDecidedAt(at)
                .setKind(DecisionKind.INITIAL)
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
