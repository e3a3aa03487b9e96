package dev.ngao.reconciler.matching;

import dev.ngao.events.Money;

import java.util.Optional;

/**
 * The value of {@code closed-items}: how a transaction was settled, its {@link Verdict}'s name; for
 * {@code APPROVED_NOT_POSTED} also the approved amount ({@code APPROVED_NOT_POSTED|amountMinor|CUR}), so that an
 * approval entry arriving after the grace period can be checked against it and clear the break. A value written
 * before the amount was kept is the verdict alone, and clears nothing.
 */
final class ClosedItem {

    private static final char SEPARATOR = '|';

    private ClosedItem() {
    }

    static String of(Verdict verdict, OpenItem item) {
        if (verdict == Verdict.APPROVED_NOT_POSTED && item.hasDecision()) {
            SeenDecision decision = item.decision();
            return verdict.name() + SEPARATOR + decision.amountMinor() + SEPARATOR + decision.currency();
        }
        return verdict.name();
    }

    static String verdictOf(String value) {
        int end = value.indexOf(SEPARATOR);
        return end < 0 ? value : value.substring(0, end);
    }

    /** The approved amount of an {@code APPROVED_NOT_POSTED} item that kept it; empty otherwise. */
    static Optional<Money> approvedNotPosted(String value) {
        String[] parts = value.split("\\|", -1);
        if (parts.length != 3 || !Verdict.APPROVED_NOT_POSTED.name().equals(parts[0])) {
            return Optional.empty();
        }
        try {
            return Optional.of(Money.newBuilder().setAmountMinor(Long.parseLong(parts[1])).setCurrency(parts[2]).build());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
