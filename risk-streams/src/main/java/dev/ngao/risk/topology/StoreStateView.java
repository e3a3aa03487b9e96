package dev.ngao.risk.topology;

import dev.ngao.risk.internal.CardRecord;
import dev.ngao.rules.CardState;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.ListLookup;
import dev.ngao.rules.StateView;
import dev.ngao.rules.UsageKey;
import dev.ngao.rules.WindowTotals;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link StateView} over risk-streams' stores, read-only: what the stages hand their rules, and what the
 * interactive queries and the backtest can build over the same stores. It answers only for the dimensions
 * its stores hold ({@code answers}); approved history and devices only when it has the account stores.
 */
public final class StoreStateView implements StateView {

    private static final StringSerializer KEYS = new StringSerializer();

    private final Set<Dimension> answers;
    private final ReadOnlyKeyValueStore<String, Long> usage;
    private final ReadOnlyKeyValueStore<String, String> velocity;
    private final ReadOnlyKeyValueStore<String, Long> distinct;
    private final ReadOnlyKeyValueStore<String, Long> history;
    private final ReadOnlyKeyValueStore<String, Long> devices;
    private final ReadOnlyKeyValueStore<String, CardRecord> cards;
    private final ListLookup lists;

    /**
     * @param answers  the dimensions these stores hold: {ACCOUNT} for the account stage, the dimension of a
     *                 dimension stage
     * @param history  the account-history store, or null for a dimension stage
     * @param devices  the account-devices store, or null for a dimension stage
     */
    public StoreStateView(Set<Dimension> answers, ReadOnlyKeyValueStore<String, Long> usage,
                          ReadOnlyKeyValueStore<String, String> velocity, ReadOnlyKeyValueStore<String, Long> distinct,
                          ReadOnlyKeyValueStore<String, Long> history, ReadOnlyKeyValueStore<String, Long> devices,
                          ReadOnlyKeyValueStore<String, CardRecord> cards, ListLookup lists) {
        this.answers = Set.copyOf(answers);
        this.usage = Objects.requireNonNull(usage, "usage");
        this.velocity = Objects.requireNonNull(velocity, "velocity");
        this.distinct = Objects.requireNonNull(distinct, "distinct");
        this.history = history;
        this.devices = devices;
        this.cards = cards;
        this.lists = lists == null ? ListLookup.EMPTY : lists;
    }

    @Override
    public long reservedMinor(UsageKey key) {
        requireAnswers(key.dimension());
        Long reserved = usage.get(key.storeKey());
        return reserved == null ? 0L : reserved;
    }

    @Override
    public WindowTotals window(Dimension dimension, String value, Duration window, Instant end, String currency) {
        requireAnswers(dimension);
        String prefix = StoreKeys.velocityPrefix(dimension, value);
        long endMs = end.toEpochMilli();
        long fromMs = endMs - window.toMillis() + 1;
        long count = 0;
        long sumMinor = 0;
        try (KeyValueIterator<String, String> observations = velocity.range(
                prefix + StoreKeys.paddedTime(fromMs), prefix + StoreKeys.paddedTime(endMs) + StoreKeys.SEPARATOR + '\uffff')) {
            while (observations.hasNext()) {
                KeyValue<String, String> observation = observations.next();
                count++;
                VelocityValue amount = VelocityValue.parse(observation.value);
                if (amount.currency().equals(currency)) {
                    sumMinor = Math.addExact(sumMinor, amount.amountMinor());
                }
            }
        }
        return new WindowTotals(count, sumMinor);
    }

    @Override
    public int distinctCount(Dimension dimension, String value, Dimension counted, Duration window, Instant end) {
        requireAnswers(dimension);
        long endMs = end.toEpochMilli();
        long fromMs = endMs - window.toMillis();
        int count = 0;
        try (KeyValueIterator<String, Long> seen = distinct.prefixScan(
                StoreKeys.distinctPrefix(dimension, value, counted), KEYS)) {
            while (seen.hasNext()) {
                long lastSeenMs = seen.next().value;
                if (lastSeenMs > fromMs && lastSeenMs <= endMs) {
                    count++;
                }
            }
        }
        return count;
    }

    @Override
    public boolean seenWith(Dimension dimension, String value, Dimension counted, String countedValue,
                            Duration window, Instant end) {
        requireAnswers(dimension);
        Long lastSeenMs = distinct.get(StoreKeys.distinct(dimension, value, counted, countedValue));
        long endMs = end.toEpochMilli();
        return lastSeenMs != null && lastSeenMs > endMs - window.toMillis() && lastSeenMs <= endMs;
    }

    @Override
    public Optional<CardState> card(String cardId) {
        if (cards == null || cardId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(cards.get(cardId)).map(CardFold::state);
    }

    @Override
    public ListLookup lists() {
        return lists;
    }

    @Override
    public long approvedOnDayMinor(String accountId, String currency, LocalDate day) {
        if (history == null) {
            throw new IllegalStateException("only the account stage knows an account's approved history");
        }
        Long approved = history.get(StoreKeys.history(accountId, currency, day));
        return approved == null ? 0L : approved;
    }

    @Override
    public boolean deviceSeen(String accountId, String deviceHash) {
        if (devices == null) {
            throw new IllegalStateException("only the account stage knows an account's devices");
        }
        return devices.get(StoreKeys.device(accountId, deviceHash)) != null;
    }

    private void requireAnswers(Dimension dimension) {
        if (!answers.contains(dimension)) {
            throw new IllegalStateException("a stage of " + answers + " was asked about " + dimension);
        }
    }

    /** The value of a velocity observation, {@code CUR:amountMinor}. */
    record VelocityValue(String currency, long amountMinor) {

        static VelocityValue parse(String text) {
            int colon = text.indexOf(':');
            return new VelocityValue(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
        }

        String text() {
            return currency + ':' + amountMinor;
        }
    }
}
