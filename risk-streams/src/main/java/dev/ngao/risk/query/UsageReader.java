package dev.ngao.risk.query;

import dev.ngao.risk.internal.CalendarCounter;
import dev.ngao.risk.topology.SignalBook;
import dev.ngao.risk.topology.StoreKeys;
import dev.ngao.risk.topology.UsageCounters;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.LimitRule;
import dev.ngao.rules.Rule;
import dev.ngao.rules.StructuringRule;
import dev.ngao.rules.UsageKey;
import dev.ngao.rules.VelocityCountRule;
import dev.ngao.rules.VelocitySumRule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The current usage of one dimension value: every calendar limit and velocity rule of the rule set for that
 * dimension (what it allows, what is reserved or counted in its period or window at {@code at}), and for an
 * account every usage counter its task holds. Pure and blocking (RocksDB reads): the HTTP API runs it off the
 * event loop. Amounts are minor units.
 *
 * <p>An account's counters are its task's, exact. Another dimension's limit is escrowed to the decision tasks
 * in slices: what is reported reserved is what its owner granted them ({@code escrowed: true}), an upper bound
 * of what approvals reserved. Velocity comes from the signals books (the account's task, the global store).
 */
public final class UsageReader {

    /** A bound on the counters listed: periods x currencies x zones of one value, kept a few days each. */
    static final int MAX_COUNTERS = 1_000;

    private final ToLongFunction<UsageKey> reserved;
    private final SignalBook signals;
    private final UsageCounters calendarUsage;
    private final boolean escrowed;

    /**
     * @param reserved      minor units reserved (an account) or escrowed (another dimension) on a counter
     * @param signals       the book of the dimension's velocity: the account signals or the global signals
     * @param calendarUsage the account's counters, to list its calendar ones; null for another dimension
     */
    public UsageReader(ToLongFunction<UsageKey> reserved, SignalBook signals, UsageCounters calendarUsage) {
        this.reserved = Objects.requireNonNull(reserved, "reserved");
        this.signals = Objects.requireNonNull(signals, "signals");
        this.calendarUsage = calendarUsage;
        this.escrowed = calendarUsage == null;
    }

    /** The account's reader over its task's stores. */
    public static UsageReader account(UsageCounters usage, SignalBook accountSignals) {
        return new UsageReader(usage::reservedMinor, accountSignals, usage);
    }

    public JsonObject read(Dimension dimension, String value, Instant at, CompiledRuleSet ruleSet) {
        JsonArray limits = new JsonArray();
        JsonArray velocities = new JsonArray();
        for (Rule rule : ruleSet.rulesOf(dimension)) {
            if (rule instanceof LimitRule limit) {
                addLimit(limits, limit, dimension, value, at);
            } else if (rule instanceof VelocityCountRule count) {
                velocities.add(window(rule, dimension, value, at, Duration.ofSeconds(count.parameters().windowSeconds()))
                        .put("max", count.parameters().max()));
            } else if (rule instanceof VelocitySumRule sum) {
                velocities.add(window(rule, dimension, value, at, Duration.ofSeconds(sum.parameters().windowSeconds()))
                        .put("limitsMinor", new JsonObject(new TreeMap<>(sum.parameters().limits()))));
            } else if (rule instanceof StructuringRule chain) {
                StructuringRule.Parameters parameters = chain.parameters();
                velocities.add(window(rule, dimension, value, at, Duration.ofSeconds(parameters.windowSeconds()))
                        .put("belowMinor", new JsonObject(new TreeMap<>(parameters.below())))
                        .put("minimumCount", parameters.minimumCount())
                        .put("totalMinor", new JsonObject(new TreeMap<>(parameters.total()))));
            }
        }
        return new JsonObject()
                .put("dimension", dimension.name())
                .put("key", value)
                .put("at", at.toString())
                .put("ruleSet", new JsonObject().put("owner", ruleSet.merchantId()).put("version", ruleSet.version()))
                .put("limits", limits)
                .put("velocity", velocities)
                .put("counters", counters(dimension, value));
    }

    /** One entry per currency of a calendar limit; a per-transaction limit keeps no counter. */
    private void addLimit(JsonArray limits, LimitRule rule, Dimension dimension, String value, Instant at) {
        LimitRule.Parameters parameters = rule.parameters();
        if (parameters.interval().calendar().isEmpty()) {
            return;
        }
        ZoneId zone = ZoneId.of(parameters.zone());
        for (Map.Entry<String, Long> limit : new TreeMap<>(parameters.limits()).entrySet()) {
            var interval = parameters.interval().calendar().get();
            UsageKey key = new UsageKey(dimension, value, limit.getKey(), interval, zone,
                    interval.periodStart(at, zone));
            long reservedMinor = reserved.applyAsLong(key);
            limits.add(new JsonObject()
                    .put("ruleId", rule.id())
                    .put("type", rule.type())
                    .put("mode", rule.mode().name())
                    .put("interval", interval.name())
                    .put("zone", zone.getId())
                    .put("periodStart", key.periodStart().toString())
                    .put("currency", limit.getKey())
                    .put("limitMinor", limit.getValue())
                    .put("reservedMinor", reservedMinor)
                    .put("escrowed", escrowed)
                    .put("remainingMinor", Math.max(0L, limit.getValue() - reservedMinor)));
        }
    }

    /** The attempts of the value in the rule's window ending at {@code at}, in whole buckets as the rules read them. */
    private JsonObject window(Rule rule, Dimension dimension, String value, Instant at, Duration window) {
        SignalBook.WindowSums sums = signals.sums(dimension, value, window, at);
        return new JsonObject()
                .put("ruleId", rule.id())
                .put("type", rule.type())
                .put("mode", rule.mode().name())
                .put("windowSeconds", window.toSeconds())
                .put("windowStart", sums.windowStart().toString())
                .put("count", sums.count())
                .put("sumsMinor", new JsonObject(new TreeMap<>(sums.sumsMinor())));
    }

    /**
     * Every calendar counter the account's task keeps (those whose period started within the usage retention
     * of the latest one), in store-key order.
     */
    private JsonArray counters(Dimension dimension, String value) {
        JsonArray counters = new JsonArray();
        if (calendarUsage == null) {
            return counters;
        }
        String prefix = dimension.name() + StoreKeys.SEPARATOR + value + StoreKeys.SEPARATOR;
        List<CalendarCounter> held = new ArrayList<>(calendarUsage.calendarCounters(dimension.name()
                + StoreKeys.SEPARATOR + value));
        held.sort(Comparator.comparing(CalendarCounter::getUsageKey));
        for (CalendarCounter counter : held.subList(0, Math.min(held.size(), MAX_COUNTERS))) {
            // CUR|INTERVAL|zone|periodStart
            String[] segments = counter.getUsageKey().substring(prefix.length()).split("\\|", -1);
            if (segments.length != 4) {
                continue;
            }
            counters.add(new JsonObject()
                    .put("currency", segments[0])
                    .put("interval", segments[1])
                    .put("zone", segments[2])
                    .put("periodStart", segments[3])
                    .put("reservedMinor", counter.getReservedMinor()));
        }
        return counters;
    }
}
