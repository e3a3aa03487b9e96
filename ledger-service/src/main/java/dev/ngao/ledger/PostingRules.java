package dev.ngao.ledger;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.Posting;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Side;
import dev.ngao.events.StatusTransition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The lifecycle of every payment the ledger carries: risk decisions (INITIAL, REVIEW_RESOLUTION, CHALLENGE_RESULT) and
 * provider statuses move a payment through its {@link Lifecycle.Stage stages}, and each move posts what
 * its {@link Flow} says (README.md, "Postings"). Statuses that arrive before the decision wait in the
 * lifecycle and apply when it comes, so any order of the two topics gives the same entries. A lifecycle
 * whose decision never comes (statuses of a payment risk never decided) is indexed by the time of its first
 * status and expires after {@code ledger.undecided.retention.ms} ({@link UndecidedSweeper}).
 *
 * <p>A card authorization's AUTHORIZATION_ANSWER decision (the network was answered otherwise than risk
 * decided) is final: see {@link #followAnswer}.
 *
 * <p>Entry ids are deterministic: {@code je:<transactionId>:<step>} with step {@code approved},
 * {@code succeeded}, {@code settled}, {@code failed}, {@code voided}, {@code reversed} or {@code suspense}
 * (each at most once per payment, as stages only move forward), and {@code je:<transactionId>:fee:<eventId>} for a
 * provider fee.
 */
public final class PostingRules implements PostingRule {

    /** Bounds entry ids, and so store keys, whatever upstream sends. */
    public static final int MAX_TRANSACTION_ID_LENGTH = 128;
    public static final String FEE_KIND = "provider.fee";

    private static final Logger LOG = LoggerFactory.getLogger(PostingRules.class);

    /** The id of the entry an approval makes: one per transaction, whatever the number of deliveries. */
    public static String approvedEntryId(String transactionId) {
        return entryId(transactionId, "approved");
    }

    public static String entryId(String transactionId, String step) {
        return "je:" + transactionId + ":" + step;
    }

    @Override
    public void decision(LedgerBatch batch, RiskDecision decision, String sourceEventId, Instant at) {
        String transactionId = requireTransactionId(decision.getTransactionId());
        Lifecycle lifecycle = batch.lifecycle(transactionId);
        if (decision.getKind() == DecisionKind.AUTHORIZATION_ANSWER && lifecycle.decided()) {
            followAnswer(batch, lifecycle, decision, sourceEventId, at);
            return;
        }
        boolean resolution = decision.getKind() == DecisionKind.REVIEW_RESOLUTION
                || decision.getKind() == DecisionKind.CHALLENGE_RESULT
                || decision.getKind() == DecisionKind.AUTHORIZATION_ANSWER;
        if (lifecycle.decided() || (lifecycle.stage() == Lifecycle.Stage.IN_REVIEW && !resolution)) {
            LOG.info("Decision on {} at {} repeats or follows a final one ({}), nothing to post", transactionId,
                    sourceEventId, lifecycle.stage());
            return;
        }
        Lifecycle.Facts facts = facts(decision);
        switch (decision.getOutcome()) {
            // A challenge holds like a review: nothing posts until its CHALLENGE_RESULT (or the network's answer).
            case REVIEW, CHALLENGE -> batch.putLifecycle(lifecycle.inReview(facts));
            case DECLINE -> settleWaiting(batch, lifecycle, lifecycle.decided(Lifecycle.Stage.DECLINED, facts), at);
            case APPROVE -> approve(batch, lifecycle, facts, sourceEventId, at);
            default -> throw new UnpostableDecisionException("outcome of " + transactionId + " is unknown");
        }
    }

    @Override
    public void providerEvent(LedgerBatch batch, ProviderEvent event, String sourceEventId, Instant at) {
        String transactionId = requireTransactionId(event.getTransactionId());
        boolean settlementRepeat = event.getStatus() == ProviderStatus.SUCCEEDED
                && event.getSource() == ProviderEventSource.SETTLEMENT_REPORT
                && event.getTransition() == StatusTransition.DUPLICATE_STATUS;
        if (event.getTransition() != StatusTransition.APPLIED && !settlementRepeat) {
            return;
        }
        Optional<DraftEntry> fee = event.getTransition() == StatusTransition.APPLIED
                ? fee(event, sourceEventId) : Optional.empty();
        Lifecycle.WaitingStatus status = new Lifecycle.WaitingStatus(event.getEventId(), event.getStatus(),
                event.getSource(), sourceEventId);
        Lifecycle lifecycle = batch.lifecycle(transactionId);
        fee.ifPresent(draft -> batch.post(draft, at));
        if (!lifecycle.decided()) {
            if (lifecycle.waiting().size() >= Lifecycle.MAX_WAITING) {
                LOG.error("Payment {} has {} statuses waiting for its decision, status at {} dropped", transactionId,
                        Lifecycle.MAX_WAITING, sourceEventId);
                return;
            }
            Lifecycle waiting = lifecycle.withWaiting(status);
            if (lifecycle.stage() == Lifecycle.Stage.UNDECIDED && lifecycle.waiting().isEmpty()) {
                // The payment's first status without a decision: from now on the sweep may expire it.
                batch.markUndecided(waiting, at);
            } else {
                batch.putLifecycle(waiting);
            }
            return;
        }
        Lifecycle next = apply(batch, lifecycle, status, at);
        if (!next.equals(lifecycle)) {
            batch.putLifecycle(next);
        }
    }

    /**
     * A card authorization whose answer to the network differs from what risk decided first: the answer is
     * final, so the ledger follows it. A hold posted for risk's approval is released ({@code voided}); a
     * decline (or an approval the ledger refused) the network was answered APPROVE for is posted now as an
     * approval. Anything else (the hold already captured or released) stays, and is logged.
     */
    private void followAnswer(LedgerBatch batch, Lifecycle lifecycle, RiskDecision answer, String sourceEventId,
                              Instant at) {
        Lifecycle.Stage stage = lifecycle.stage();
        if (answer.getOutcome() == Outcome.APPROVE && stage == Lifecycle.Stage.DECLINED) {
            approve(batch, lifecycle, facts(answer), sourceEventId, at);
        } else if (answer.getOutcome() == Outcome.DECLINE && stage == Lifecycle.Stage.OPEN) {
            Flow.of(lifecycle.facts()).flatMap(flow -> flow.failure(new Flow.Accounts(lifecycle.facts())))
                    .ifPresent(move -> batch.post(draft(lifecycle.transactionId(), "voided", sourceEventId, move,
                            lifecycle.facts()), at));
            batch.putLifecycle(lifecycle.withStage(Lifecycle.Stage.CLOSED));
        } else if (answer.getOutcome() == Outcome.DECLINE && stage == Lifecycle.Stage.REFUSED) {
            batch.putLifecycle(lifecycle.withStage(Lifecycle.Stage.DECLINED));
        } else {
            LOG.warn("Network answer {} of {} at {} finds it {}: nothing to post", answer.getOutcome(),
                    lifecycle.transactionId(), sourceEventId, stage);
        }
    }

    private void approve(LedgerBatch batch, Lifecycle lifecycle, Lifecycle.Facts facts, String sourceEventId,
                         Instant at) {
        Flow flow = Flow.of(facts).orElseThrow(() -> new UnpostableDecisionException("payment type "
                + facts.type() + " of " + lifecycle.transactionId() + " has no postings"));
        Flow.Accounts accounts = new Flow.Accounts(facts);
        if (facts.amountMinor() <= 0) {
            throw new UnpostableDecisionException("amount of transaction " + lifecycle.transactionId()
                    + " is not positive");
        }
        Lifecycle.Stage stage = Lifecycle.Stage.OPEN;
        Optional<Flow.Move> approval = flow.approval(accounts);
        if (approval.isPresent()) {
            Flow.Move move = approval.get();
            DraftEntry draft = draft(lifecycle.transactionId(), "approved", sourceEventId, move, facts);
            LedgerBatch.Result result = batch.post(draft, at, move.spending());
            if (result == LedgerBatch.Result.REFUSED) {
                // An outcome, not a fault: recorded on audit.ledger and counted, so info rather than a warning
                // (a payout beyond the merchant's available balance is refused as designed).
                LOG.info("Approved payment {} refused: {} lacks the funds", lifecycle.transactionId(),
                        move.debit());
                stage = Lifecycle.Stage.REFUSED;
            }
        }
        settleWaiting(batch, lifecycle, lifecycle.decided(stage, facts), at);
    }

    /** Applies the statuses that waited for the decision, in the order they arrived. */
    private void settleWaiting(LedgerBatch batch, Lifecycle before, Lifecycle decided, Instant at) {
        Lifecycle current = decided;
        for (Lifecycle.WaitingStatus status : before.waiting()) {
            current = apply(batch, current, status, at);
        }
        batch.putLifecycle(current);
    }

    /** One provider status on a decided payment. */
    private Lifecycle apply(LedgerBatch batch, Lifecycle lifecycle, Lifecycle.WaitingStatus status, Instant at) {
        Lifecycle.Facts facts = lifecycle.facts();
        Optional<Flow> found = Flow.of(facts);
        if (found.isEmpty()) {
            return lifecycle;
        }
        Flow flow = found.get();
        Flow.Accounts accounts = new Flow.Accounts(facts);
        ProviderStatus outcome = status.status();
        boolean fails = outcome == ProviderStatus.FAILED || outcome == ProviderStatus.EXPIRED
                || outcome == ProviderStatus.REVERSED;
        boolean settles = status.source() == ProviderEventSource.SETTLEMENT_REPORT;
        return switch (lifecycle.stage()) {
            case OPEN -> {
                if (outcome == ProviderStatus.SUCCEEDED) {
                    post(batch, lifecycle, "succeeded", flow.success(accounts), status, at);
                    if (flow == Flow.CIP && !settles) {
                        yield lifecycle.withStage(Lifecycle.Stage.PAID);
                    }
                    post(batch, lifecycle, "settled", flow.settlement(accounts), status, at);
                    yield lifecycle.withStage(Lifecycle.Stage.SETTLED);
                }
                if (fails) {
                    post(batch, lifecycle, "failed", flow.failure(accounts), status, at);
                    yield lifecycle.withStage(Lifecycle.Stage.CLOSED);
                }
                yield lifecycle;
            }
            case PAID -> {
                if (outcome == ProviderStatus.SUCCEEDED && settles) {
                    post(batch, lifecycle, "settled", flow.settlement(accounts), status, at);
                    yield lifecycle.withStage(Lifecycle.Stage.SETTLED);
                }
                if (outcome == ProviderStatus.REVERSED) {
                    post(batch, lifecycle, "reversed", flow.reversalWhilePaid(accounts), status, at);
                    yield lifecycle.withStage(Lifecycle.Stage.CLOSED);
                }
                yield lifecycle;
            }
            case SETTLED -> {
                if (outcome == ProviderStatus.REVERSED) {
                    post(batch, lifecycle, "reversed", flow.reversal(accounts), status, at);
                    yield lifecycle.withStage(Lifecycle.Stage.CLOSED);
                }
                yield lifecycle;
            }
            case DECLINED, REFUSED -> {
                if (outcome == ProviderStatus.SUCCEEDED && !lifecycle.suspensePosted()
                        && flow.unmatched(accounts).isPresent()) {
                    LOG.warn("Provider reports money moved for payment {} the ledger did not approve ({}); "
                            + "posted to suspense", lifecycle.transactionId(), lifecycle.stage());
                    post(batch, lifecycle, "suspense", flow.unmatched(accounts), status, at);
                    yield lifecycle.withSuspensePosted();
                }
                yield lifecycle;
            }
            default -> lifecycle;
        };
    }

    private static void post(LedgerBatch batch, Lifecycle lifecycle, String step, Optional<Flow.Move> move,
                             Lifecycle.WaitingStatus status, Instant at) {
        move.ifPresent(found -> batch.post(draft(lifecycle.transactionId(), step, status.sourceEventId(), found,
                lifecycle.facts()), at));
    }

    private static DraftEntry draft(String transactionId, String step, String sourceEventId, Flow.Move move,
                                    Lifecycle.Facts facts) {
        List<Posting> postings = List.of(
                posting(move.debit(), Side.DEBIT, facts.amountMinor(), facts.currency()),
                posting(move.credit(), Side.CREDIT, facts.amountMinor(), facts.currency()));
        return new DraftEntry(entryId(transactionId, step), transactionId, sourceEventId, move.kind(), postings);
    }

    /** A fee the provider charged: Ngao's expense, taken from what the provider holds for us. */
    private static Optional<DraftEntry> fee(ProviderEvent event, String sourceEventId) {
        Money fee = event.getFee();
        if (fee == null || fee.getAmountMinor() <= 0) {
            return Optional.empty();
        }
        AccountName fees;
        AccountName clearing;
        try {
            fees = AccountName.of("fees", event.getProvider(), "charged", fee.getCurrency());
            clearing = AccountName.of("provider", event.getProvider(), "clearing", fee.getCurrency());
        } catch (InvalidAccountNameException e) {
            throw new UnpostableDecisionException("fee of " + event.getTransactionId() + " names no valid account: "
                    + e.getMessage(), e);
        }
        List<Posting> postings = List.of(posting(fees, Side.DEBIT, fee.getAmountMinor(), fee.getCurrency()),
                posting(clearing, Side.CREDIT, fee.getAmountMinor(), fee.getCurrency()));
        return Optional.of(new DraftEntry(entryId(event.getTransactionId(), "fee:" + event.getEventId()),
                event.getTransactionId(), sourceEventId, FEE_KIND, postings));
    }

    private static Lifecycle.Facts facts(RiskDecision decision) {
        Money amount = decision.getAmount();
        return new Lifecycle.Facts(decision.getType(), decision.getMerchantId(), decision.getProvider(),
                decision.getAccountKind(), decision.getAccountId(), amount.getAmountMinor(), amount.getCurrency());
    }

    private static Posting posting(AccountName account, Side side, long amountMinor, String currency) {
        return Posting.newBuilder()
                .setAccount(account.toString())
                .setSide(side)
                .setAmount(Money.newBuilder().setAmountMinor(amountMinor).setCurrency(currency).build())
                .build();
    }

    private static String requireTransactionId(String transactionId) {
        if (transactionId == null || transactionId.isBlank() || transactionId.length() > MAX_TRANSACTION_ID_LENGTH) {
            throw new UnpostableDecisionException("transaction id must have 1 to " + MAX_TRANSACTION_ID_LENGTH
                    + " characters");
        }
        return transactionId;
    }
}
