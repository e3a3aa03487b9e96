package dev.ngao.risk.query;

import dev.ngao.risk.topology.StoreKeys;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.LimitRule;
import dev.ngao.rules.Rule;
import dev.ngao.rules.UsageKey;
import dev.ngao.rules.VelocityCountRule;
import dev.ngao.rules.VelocitySumRule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The current usage of one dimension value, read from a stage's usage and velocity stores: every calendar
 * limit and velocity rule of the rule set for that dimension (what it allows, what is reserved or counted
 * in its period or window at {@code at}), and every usage counter the store holds for the value. Pure and
 * blocking (RocksDB reads): the HTTP API runs it off the event loop. Amounts are minor units.
 */
public final class UsageReader {

    /** A bound on the counters listed: periods x currencies x zones of one value, kept a few days each. */
    static final int MAX_COUNTERS = 1_000;
    /** A bound on the observations one velocity rule scans (its window is at most 31 days). */
    static final int MAX_OBSERVATIONS = 100_000;

    private static final StringSerializer KEYS = new StringSerializer();

    private final ReadOnlyKeyValueStore<String, Long> usage;
    private final ReadOnlyKeyValueStore<String, String> velocity;

    /**
     * @param usage    the stage's usage store ({@code UsageKey.storeKey()} -> minor units reserved)
     * @param velocity the stage's velocity store ({@code DIMENSION|value|time|transactionId} -> {@code CUR:amountMinor})
     */
    public UsageReader(ReadOnlyKeyValueStore<String, Long> usage, ReadOnlyKeyValueStore<String, String> velocity) {
        this.usage = Objects.requireNonNull(usage, "usage");
        this.velocity = Objects.requireNonNull(velocity, "velocity");
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
            Long stored = usage.get(key.storeKey());
            long reservedMinor = stored == null ? 0L : stored;
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
                    .put("remainingMinor", Math.max(0L, limit.getValue() - reservedMinor)));
        }
    }

    /**
     * Every attempt of the value in the rule's window ending at {@code at}, as the velocity rules read it:
     * {@code (at - window, at]}, counted whatever the currency, summed per currency.
     */
    private JsonObject window(Rule rule, Dimension dimension, String value, Instant at, Duration window) {
        String prefix = StoreKeys.velocityPrefix(dimension, value);
        long endMs = at.toEpochMilli();
        long fromMs = endMs - window.toMillis() + 1;
        long count = 0;
        Map<String, Long> sumsMinor = new TreeMap<>();
        try (KeyValueIterator<String, String> observations = velocity.range(prefix + StoreKeys.paddedTime(fromMs),
                prefix + StoreKeys.paddedTime(endMs) + StoreKeys.SEPARATOR + '\uffff')) {
            while (observations.hasNext() && count < MAX_OBSERVATIONS) {
                KeyValue<String, String> observation = observations.next();
                int colon = observation.value.indexOf(':');
                sumsMinor.merge(observation.value.substring(0, colon),
                        Long.parseLong(observation.value.substring(colon + 1)), Math::addExact);
                count++;
            }
        }
        return new JsonObject()
                .put("ruleId", rule.id())
                .put("type", rule.type())
                .put("mode", rule.mode().name())
                .put("windowSeconds", window.toSeconds())
                .put("windowStart", Instant.ofEpochMilli(fromMs).toString())
                .put("count", count)
                .put("sumsMinor", new JsonObject(new TreeMap<>(sumsMinor)));
    }

    /** Every usage counter of the value in the store, whichever rule reserved it. */
    private JsonArray counters(Dimension dimension, String value) {
        JsonArray counters = new JsonArray();
        String prefix = dimension.name() + StoreKeys.SEPARATOR + value + StoreKeys.SEPARATOR;
        try (KeyValueIterator<String, Long> stored = usage.prefixScan(prefix, KEYS)) {
            while (stored.hasNext() && counters.size() < MAX_COUNTERS) {
                KeyValue<String, Long> counter = stored.next();
                // CUR|INTERVAL|zone|periodStart
                String[] segments = counter.key.substring(prefix.length()).split("\\|", -1);
                if (segments.length != 4) {
                    continue;
                }
                counters.add(new JsonObject()
                        .put("currency", segments[0])
                        .put("interval", segments[1])
                        .put("zone", segments[2])
                        .put("periodStart", segments[3])
                        .put("reservedMinor", counter.value));
            }
        }
        return counters;
    }
}
