package dev.ngao.risk.backtest;

import dev.ngao.events.CardEvent;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.PaymentRequest;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One recorded record a backtest replays, with the key and timestamp it had on its topic: a payment
 * request, or a card event or list change that the global stores fold (a null value is a list tombstone).
 * The key is as recorded, possibly null.
 */
public record RecordedInput(String key, SpecificRecord value, Instant timestamp) {

    /** By timestamp; on a tie, card and list changes first, so a request sees the state of its instant. */
    public static final Comparator<RecordedInput> REPLAY_ORDER = Comparator.comparing(RecordedInput::timestamp)
            .thenComparing(input -> input.value() instanceof PaymentRequest);

    public RecordedInput {
        Objects.requireNonNull(timestamp, "timestamp");
        if (value != null && !(value instanceof PaymentRequest || value instanceof CardEvent
                || value instanceof ListEntryChange)) {
            throw new IllegalArgumentException("a backtest replays requests, card events and list changes, not "
                    + value.getClass().getSimpleName());
        }
    }

    public static RecordedInput request(PaymentRequest request, Instant timestamp) {
        return new RecordedInput(request.getAccountId(), request, timestamp);
    }
}
