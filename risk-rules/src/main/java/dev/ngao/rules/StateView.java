package dev.ngao.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * What a rule may read of risk-streams' state, read-only; the stage that evaluates a rule writes the
 * state after every rule has spoken. Every figure excludes the request being decided. A stage answers only
 * for its own dimension (a device stage knows nothing of an account's usage); asking another dimension is a
 * programming error and throws {@link IllegalStateException}.
 */
public interface StateView {

    /** Minor units reserved so far on {@code key} (approved and not released). */
    long reservedMinor(UsageKey key);

    /**
     * Requests of {@code dimension}'s {@code value} in the sliding window {@code (end - window, end]}, their
     * amounts summed in {@code currency}. Attempts count whatever their outcome.
     */
    WindowTotals window(Dimension dimension, String value, Duration window, Instant end, String currency);

    /**
     * How many distinct values of {@code counted} were seen with {@code dimension}'s {@code value} in the
     * window {@code (end - window, end]}: e.g. accounts behind one DNI, DNIs on one device.
     */
    int distinctCount(Dimension dimension, String value, Dimension counted, Duration window, Instant end);

    /**
     * Whether {@code counted}'s {@code countedValue} was already seen with {@code dimension}'s {@code value}
     * in the window {@code (end - window, end]}: whether the request being decided adds one to
     * {@link #distinctCount} or repeats a value already counted (a DNI paying again from a phone number it
     * used before). Needed by distinct-count rules only; the default refuses, so a state without it fails
     * loudly on the first such rule rather than miscounting.
     */
    default boolean seenWith(Dimension dimension, String value, Dimension counted, String countedValue,
                             Duration window, Instant end) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement StateView.seenWith, which distinct-count rules need");
    }

    /** The card's state, when cards.events knows it. */
    Optional<CardState> card(String cardId);

    /** Allow and block lists. */
    ListLookup lists();

    /**
     * Minor units of {@code currency} that approvals of the account spent on the UTC day {@code day},
     * releases not subtracted: the history the anomaly rules average over.
     */
    long approvedOnDayMinor(String accountId, String currency, LocalDate day);

    /**
     * {@link #approvedOnDayMinor} of each of the {@code days} UTC days ending with {@code last}, oldest first:
     * one read of the range the caller needs, where a store can do better than a read per day.
     */
    default long[] approvedOnDaysMinor(String accountId, String currency, LocalDate last, int days) {
        long[] spent = new long[days];
        for (int day = 0; day < days; day++) {
            spent[day] = approvedOnDayMinor(accountId, currency, last.minusDays(days - 1L - day));
        }
        return spent;
    }

    /** Whether a request of the account came from the device (keyed hash) before. */
    boolean deviceSeen(String accountId, String deviceHash);

    /**
     * Minor units of {@code currency} the prepaid card {@code cardId} (its account id) has to spend: its approved
     * loads and refunds to it, less what its approved authorizations hold or spent, the request being decided
     * excluded. Negative when the card network was answered APPROVE for more than was there; 0 for a card
     * never loaded. Needed by card-funds rules only; the default refuses, as {@link #seenWith} does.
     */
    default long cardFundsMinor(String cardId, String currency) {
        throw new UnsupportedOperationException(getClass().getName()
                + " does not implement StateView.cardFundsMinor, which card-funds rules need");
    }
}
