package dev.ngao.reconciler.view;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.Posting;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.Side;
import dev.ngao.events.StatusTransition;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The view changes of one poll: each record updates its payment (read through the batch, so two records of
 * one transaction in a poll see each other), and each partition's next offset advances. Nothing is written
 * until {@link PostedPaymentsView#commit}.
 */
public final class ViewBatch {

    /** Entries of this kind family are an approval's posting (the ledger's {@code <flow>.approved}). */
    static final String APPROVAL_KIND_SUFFIX = ".approved";
    /** Final decisions that may follow an approval and, when DECLINE, undo it. */
    private static final Set<DecisionKind> WITHDRAWING = EnumSet.of(DecisionKind.LEDGER_REFUSAL,
            DecisionKind.AUTHORIZATION_ANSWER);

    record Change(ViewPayment before, ViewPayment after) {
    }

    private final Function<String, Optional<ViewPayment>> stored;
    private final Map<String, ViewPayment> before = new HashMap<>();
    private final Map<String, ViewPayment> after = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();

    ViewBatch(Function<String, Optional<ViewPayment>> stored) {
        this.stored = stored;
    }

    /**
     * An approval makes the payment one the provider must settle; a final DECLINE that follows an approval (the
     * ledger refused it for want of funds, or the card network was answered DECLINE) withdraws it: nothing was
     * submitted, so nothing is chased or expected in a settlement report. Other outcomes move no money.
     */
    public void onDecision(RiskDecision decision) {
        if (decision.getOutcome() == Outcome.DECLINE && WITHDRAWING.contains(decision.getKind())) {
            ViewPayment payment = current(decision.getTransactionId());
            if (payment.approved()) {
                update(payment.withoutApproval());
            }
            return;
        }
        if (decision.getOutcome() != Outcome.APPROVE) {
            return;
        }
        ViewPayment payment = current(decision.getTransactionId());
        if (payment.approved()) {
            return;
        }
        update(payment.withDecision(decision.getProvider(), decision.getAmount(),
                decision.getDecidedAt().toEpochMilli()));
    }

    /** The approval entry's debits are what the ledger posted; entries of later flows are not. */
    public void onEntry(JournalEntry entry) {
        if (!entry.getKind().endsWith(APPROVAL_KIND_SUFFIX)) {
            return;
        }
        ViewPayment payment = current(entry.getTransactionId());
        if (entry.getEntryId().equals(payment.postedEntryId())) {
            return; // the ledger publishes at least once
        }
        update(payment.withPosting(entry.getEntryId(), debits(entry)));
    }

    /**
     * Only a status ingest-service applied moves the view's status; a duplicate, stale or conflicting one
     * still teaches the reference and fee, which never contradict.
     */
    public void onProviderEvent(ProviderEvent event) {
        ViewPayment payment = current(event.getTransactionId());
        if (event.getTransition() == StatusTransition.APPLIED) {
            update(payment.withProviderWord(event.getProvider(), event.getProviderReference(), event.getStatus(),
                    event.getOccurredAt().toEpochMilli(), event.getFee()));
        } else {
            ViewPayment known = payment.provider() == null ? payment.withProvider(event.getProvider()) : payment;
            update(known.withReference(event.getProviderReference(), event.getFee()));
        }
    }

    /** Only a CIP's expiry is kept from a request: nothing personal is read. */
    public void onRequest(PaymentRequest request) {
        if (request.getCip() == null) {
            return;
        }
        ViewPayment payment = current(request.getTransactionId());
        update(payment.withExpiry(request.getCip().getExpiresAt().toEpochMilli()));
    }

    public void advanceOffset(TopicPartition partition, long nextOffset) {
        nextOffsets.merge(partition, nextOffset, Math::max);
    }

    public boolean isEmpty() {
        return after.isEmpty() && nextOffsets.isEmpty();
    }

    List<Change> changes() {
        List<Change> changes = new ArrayList<>();
        after.forEach((transactionId, payment) -> changes.add(new Change(before.get(transactionId), payment)));
        return changes;
    }

    Map<TopicPartition, Long> nextOffsets() {
        return nextOffsets;
    }

    private ViewPayment current(String transactionId) {
        ViewPayment changed = after.get(transactionId);
        if (changed != null) {
            return changed;
        }
        ViewPayment existing = stored.apply(transactionId).orElse(null);
        before.put(transactionId, existing);
        return existing == null ? ViewPayment.empty(transactionId) : existing;
    }

    private void update(ViewPayment payment) {
        after.put(payment.transactionId(), payment);
    }

    private static Money debits(JournalEntry entry) {
        long sum = 0;
        String currency = null;
        for (Posting posting : entry.getPostings()) {
            if (posting.getSide() == Side.DEBIT) {
                sum = Math.addExact(sum, posting.getAmount().getAmountMinor());
                currency = posting.getAmount().getCurrency();
            }
        }
        return currency == null ? null : new Money(sum, currency);
    }
}
