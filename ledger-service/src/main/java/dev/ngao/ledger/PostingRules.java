package dev.ngao.ledger;

import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.Posting;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Side;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * The postings of an approved payment, one flow per payment type. Declines and reviews post
 * nothing: no money moved and none is expected.
 *
 * <table>
 *   <caption>Postings of an APPROVE decision</caption>
 *   <tr><th>type</th><th>debit</th><th>credit</th></tr>
 *   <tr><td>MOBILE_MONEY_COLLECTION</td><td>provider:&lt;provider&gt;:clearing:&lt;CUR&gt;</td>
 *       <td>merchant:&lt;merchantId&gt;:pending:&lt;CUR&gt;</td></tr>
 *   <tr><td>MOBILE_MONEY_PAYOUT</td><td>merchant:&lt;merchantId&gt;:available:&lt;CUR&gt;</td>
 *       <td>payouts:&lt;provider&gt;:in-flight:&lt;CUR&gt;</td></tr>
 * </table>
 * Other payment types are not posted yet (a later issue adds their flows).
 */
public final class PostingRules implements PostingRule {

    public static final String COLLECTION_APPROVED = "collection.approved";
    public static final String PAYOUT_APPROVED = "payout.approved";
    /** Bounds entry ids, and so store keys, whatever upstream sends. */
    public static final int MAX_TRANSACTION_ID_LENGTH = 128;

    private static final Logger LOG = LoggerFactory.getLogger(PostingRules.class);

    /** The id of the entry an approval makes: one per transaction, whatever the number of deliveries. */
    public static String approvedEntryId(String transactionId) {
        return "je:" + transactionId + ":approved";
    }

    @Override
    public Optional<DraftEntry> draft(RiskDecision decision, String sourceEventId) {
        if (decision.getOutcome() != Outcome.APPROVE) {
            return Optional.empty();
        }
        requireTransactionId(decision);
        return switch (decision.getType()) {
            case MOBILE_MONEY_COLLECTION -> Optional.of(collection(decision, sourceEventId));
            case MOBILE_MONEY_PAYOUT -> Optional.of(payout(decision, sourceEventId));
            default -> {
                LOG.debug("No posting rule yet for {} transaction {}", decision.getType(), decision.getTransactionId());
                yield Optional.empty();
            }
        };
    }

    /** Money the provider collected for the merchant: expected from the provider, pending for the merchant. */
    private static DraftEntry collection(RiskDecision decision, String sourceEventId) {
        String currency = decision.getAmount().getCurrency();
        AccountName providerClearing = account(decision, "provider", decision.getProvider(), "clearing", currency);
        AccountName merchantPending = account(decision, "merchant", decision.getMerchantId(), "pending", currency);
        return entry(decision, sourceEventId, COLLECTION_APPROVED, providerClearing, merchantPending);
    }

    /** Money leaving the merchant's available balance, held in flight until the provider confirms. */
    private static DraftEntry payout(RiskDecision decision, String sourceEventId) {
        String currency = decision.getAmount().getCurrency();
        AccountName merchantAvailable = account(decision, "merchant", decision.getMerchantId(), "available", currency);
        AccountName payoutsInFlight = account(decision, "payouts", decision.getProvider(), "in-flight", currency);
        return entry(decision, sourceEventId, PAYOUT_APPROVED, merchantAvailable, payoutsInFlight);
    }

    private static DraftEntry entry(RiskDecision decision, String sourceEventId, String kind,
                                    AccountName debited, AccountName credited) {
        String transactionId = decision.getTransactionId();
        long amountMinor = decision.getAmount().getAmountMinor();
        if (amountMinor <= 0) {
            throw new UnpostableDecisionException("amount of transaction " + transactionId + " is not positive");
        }
        String currency = decision.getAmount().getCurrency();
        List<Posting> postings = List.of(
                posting(debited, Side.DEBIT, amountMinor, currency),
                posting(credited, Side.CREDIT, amountMinor, currency));
        return new DraftEntry(approvedEntryId(transactionId), transactionId, sourceEventId, kind, postings);
    }

    private static Posting posting(AccountName account, Side side, long amountMinor, String currency) {
        return Posting.newBuilder()
                .setAccount(account.toString())
                .setSide(side)
                .setAmount(Money.newBuilder().setAmountMinor(amountMinor).setCurrency(currency).build())
                .build();
    }

    private static AccountName account(RiskDecision decision, String... segments) {
        try {
            return AccountName.of(segments);
        } catch (InvalidAccountNameException e) {
            throw new UnpostableDecisionException("transaction " + decision.getTransactionId()
                    + " names no valid account: " + e.getMessage(), e);
        }
    }

    private static void requireTransactionId(RiskDecision decision) {
        String transactionId = decision.getTransactionId();
        if (transactionId == null || transactionId.isBlank() || transactionId.length() > MAX_TRANSACTION_ID_LENGTH) {
            throw new UnpostableDecisionException("transaction id must have 1 to " + MAX_TRANSACTION_ID_LENGTH
                    + " characters");
        }
    }
}
