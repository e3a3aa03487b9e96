package dev.ngao.risk.topology;

import dev.ngao.risk.internal.CardRecord;
import dev.ngao.rules.CardState;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.ListLookup;
import dev.ngao.rules.StateView;
import dev.ngao.rules.UsageKey;
import dev.ngao.rules.WindowTotals;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link StateView} a decision task hands its rules, read-only. The account's own state is exact (the
 * task owns the account): its counters and its day records (velocity, distinct values, devices, approved
 * history). Every other dimension's velocity
 * and distinct counts come from the global signals store, as fresh as the last observations it applied
 * (see SignalsProcessor). A hard limit on another dimension reads the task's escrowed slice of that
 * counter: what this task may still reserve is the slice's unused budget, so it reports the rest of the
 * limit as reserved.
 */
final class DecisionView implements StateView {

    /** What a task may still reserve on a counter that is not the account's: its slice. */
    interface Slices {
        /** Minor units the task's slice can still reserve on {@code key}, or empty if it holds no slice. */
        Optional<Long> availableMinor(UsageKey key);
    }

    private final SignalBook accountSignals;
    private final SignalBook signals;
    private final UsageCounters usage;
    private final Slices slices;
    private final Map<String, Long> sliceLimits;
    private final ReadOnlyKeyValueStore<String, CardRecord> cards;
    private final ListLookup lists;
    private final Duration deviceRetention;
    private final Instant requestedAt;
    private final Duration historyRetention;
    /** Account and currency -> the approved spend of its days (day start -> minor units), read on first use. */
    private final Map<String, Map<Long, Long>> approvedDays = new java.util.HashMap<>();

    /**
     * @param sliceLimits the limit of each slice counter by store key, for the share of it not in the slice
     * @param requestedAt the request's time: devices count back from it, as the other windows do
     */
    DecisionView(SignalBook accountSignals, SignalBook signals, UsageCounters usage, Slices slices,
                 Map<String, Long> sliceLimits, ReadOnlyKeyValueStore<String, CardRecord> cards,
                 ListLookup lists, Duration deviceRetention, Duration historyRetention, Instant requestedAt) {
        this.accountSignals = accountSignals;
        this.signals = signals;
        this.usage = usage;
        this.slices = slices;
        this.sliceLimits = sliceLimits;
        this.cards = cards;
        this.lists = lists == null ? ListLookup.EMPTY : lists;
        this.deviceRetention = deviceRetention;
        this.requestedAt = requestedAt;
        this.historyRetention = historyRetention;
    }

    @Override
    public long reservedMinor(UsageKey key) {
        if (key.dimension() == Dimension.ACCOUNT) {
            return usage.reservedMinor(key);
        }
        Long limit = sliceLimits.get(key.storeKey());
        Optional<Long> available = slices.availableMinor(key);
        if (limit == null || available.isEmpty()) {
            return limit == null ? 0L : limit;
        }
        return limit - available.get();
    }

    @Override
    public WindowTotals window(Dimension dimension, String value, Duration window, Instant end, String currency) {
        return book(dimension).window(dimension, value, window, end, currency);
    }

    @Override
    public int distinctCount(Dimension dimension, String value, Dimension counted, Duration window, Instant end) {
        return book(dimension).distinctCount(dimension, value, counted, window, end);
    }

    @Override
    public boolean seenWith(Dimension dimension, String value, Dimension counted, String countedValue,
                            Duration window, Instant end) {
        return book(dimension).seenWith(dimension, value, counted, countedValue, window, end);
    }

    private SignalBook book(Dimension dimension) {
        return dimension == Dimension.ACCOUNT ? accountSignals : signals;
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

    /**
     * Read once per account and currency for the request, should a rule ask day by day: the account's day records
     * of the history retention, read together.
     */
    @Override
    public long approvedOnDayMinor(String accountId, String currency, LocalDate day) {
        Map<Long, Long> days = approvedDays.computeIfAbsent(accountId + StoreKeys.SEPARATOR + currency, key ->
                accountSignals.approvedByDay(Dimension.ACCOUNT, accountId, currency, historyRetention, requestedAt));
        return days.getOrDefault(dayStartMs(day), 0L);
    }

    /**
     * One read of just the days asked (the anomaly rule's 30, say), not the whole history retention: each day
     * record in the range is decoded, so the range is what a request pays for. Bounded by the retention.
     */
    @Override
    public long[] approvedOnDaysMinor(String accountId, String currency, LocalDate last, int days) {
        long lastDayMs = dayStartMs(last);
        Duration asked = Duration.ofDays(Math.min(days, historyRetention.toDays()));
        Map<Long, Long> byDay = accountSignals.approvedByDay(Dimension.ACCOUNT, accountId, currency, asked,
                Instant.ofEpochMilli(lastDayMs + SignalBook.DAY_MS - 1));
        long[] spent = new long[days];
        for (int day = 0; day < days; day++) {
            spent[day] = byDay.getOrDefault(lastDayMs - (days - 1L - day) * SignalBook.DAY_MS, 0L);
        }
        return spent;
    }

    /** One point read of the card's funds counter, which the card's own task keeps exact. */
    @Override
    public long cardFundsMinor(String cardId, String currency) {
        return CardFunds.availableMinor(usage, cardId, currency);
    }

    /** A device is known to an account when a day of the device retention saw them together. */
    @Override
    public boolean deviceSeen(String accountId, String deviceHash) {
        return accountSignals.seenWith(Dimension.ACCOUNT, accountId, Dimension.DEVICE, deviceHash, deviceRetention,
                requestedAt);
    }

    static long dayStartMs(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
