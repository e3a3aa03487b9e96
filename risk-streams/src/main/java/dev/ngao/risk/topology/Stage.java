package dev.ngao.risk.topology;

import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.platform.invariant.Invariants;
import dev.ngao.risk.internal.CardRecord;
import dev.ngao.risk.internal.ReservedCounter;
import dev.ngao.risk.internal.Reservation;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.ListLookup;
import dev.ngao.rules.Rule;
import dev.ngao.rules.RuleHit;
import dev.ngao.rules.RuleInput;
import dev.ngao.rules.UsageKey;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a stage does for one request under one key, read-check-write in one call: evaluate the rules of
 * its dimension, reserve the amount on every usage counter of the enforced hard limits when nothing blocks,
 * record the request (velocity, distinct values, and for the account its devices and approved history),
 * and remember the reservation per transaction so it can be released exactly. The key owns all of this
 * state and one task owns the key, so check-and-reserve is atomic without locks.
 *
 * <p>Invariants: after a reservation, no enforced hard limit may be overspent (each is re-asked with a
 * zero amount against the new usage: it matches only if the usage alone exceeds its limit); a release
 * never takes a counter below zero.
 */
final class Stage {

    private static final Logger LOG = LoggerFactory.getLogger(Stage.class);

    /** Release reasons that mean the amount was never an approval, so it leaves the approved history. */
    private static final Set<String> NEVER_APPROVED = Set.of(ReleaseReason.DECLINED.name(),
            ReleaseReason.REVIEW_DECLINED.name());

    record Result(List<RuleHit> hits, boolean reserved) {
    }

    private final StageStores stores;
    private final ReadOnlyKeyValueStore<String, CardRecord> cards;
    private final ListLookup lists;

    Stage(StageStores stores, ReadOnlyKeyValueStore<String, CardRecord> cards, ListLookup lists) {
        this.stores = stores;
        this.cards = cards;
        this.lists = lists;
    }

    StoreStateView view(Dimension dimension) {
        return new StoreStateView(Set.of(dimension), stores.usage(), stores.velocity(), stores.distinct(),
                stores.history(), stores.devices(), cards, lists);
    }

    /**
     * @param dimensionHolders for the account stage, the dimension stages the request goes to (kept with
     *                         the reservation so a refund can release there too); empty otherwise
     */
    Result evaluate(CompiledRuleSet rules, Dimension dimension, String value, PaymentRequest request,
                    List<String> dimensionHolders, long nowMs) {
        StoreStateView view = view(dimension);
        RuleInput input = new RuleInput(request, value, view);
        List<RuleHit> hits = rules.evaluate(dimension, input);
        List<Rule> hardLimits = hardLimits(rules, dimension, request, value);
        Set<String> hardLimitIds = new HashSet<>();
        hardLimits.forEach(rule -> hardLimitIds.add(rule.id()));
        // A matched hard limit never reserves, whatever its action: reserving past a limit is what it forbids.
        boolean blocked = hits.stream().anyMatch(hit -> hit.enforced()
                && (hit.action() == RuleAction.BLOCK || hardLimitIds.contains(hit.ruleId())));
        long amountMinor = request.getAmount().getAmountMinor();
        boolean reserved = false;
        if (!blocked && amountMinor > 0) {
            List<ReservedCounter> counters = reserve(rules.usageKeys(dimension, input), amountMinor);
            checkNoLimitOverspent(rules, hardLimits, request, value, view);
            boolean keepForHistory = dimension == Dimension.ACCOUNT;
            if (!counters.isEmpty() || keepForHistory) {
                stores.reservations().put(StoreKeys.reservation(dimension, value, request.getTransactionId()),
                        Reservation.newBuilder()
                                .setTransactionId(request.getTransactionId())
                                .setCounters(counters)
                                .setDimensionHolders(dimensionHolders)
                                .setCurrency(request.getAmount().getCurrency())
                                .setAmountMinor(amountMinor)
                                .setRequestedAtMs(request.getRequestedAt().toEpochMilli())
                                .setReservedAtMs(nowMs)
                                .build());
                reserved = true;
            }
            if (dimension == Dimension.ACCOUNT) {
                addHistory(request.getAccountId(), request.getAmount().getCurrency(),
                        request.getRequestedAt().toEpochMilli(), amountMinor);
            }
        }
        record(dimension, value, request);
        return new Result(hits, reserved);
    }

    private static List<Rule> hardLimits(CompiledRuleSet rules, Dimension dimension, PaymentRequest request,
                                         String value) {
        List<Rule> hardLimits = new ArrayList<>();
        for (Rule rule : rules.rulesOf(dimension)) {
            if (rule.mode() == RuleMode.ENFORCE && !rule.usageKeys(request, value).isEmpty()) {
                hardLimits.add(rule);
            }
        }
        return hardLimits;
    }

    private List<ReservedCounter> reserve(List<UsageKey> keys, long amountMinor) {
        List<ReservedCounter> counters = new ArrayList<>(keys.size());
        for (UsageKey key : keys) {
            String storeKey = key.storeKey();
            Long before = stores.usage().get(storeKey);
            stores.usage().put(storeKey, Math.addExact(before == null ? 0L : before, amountMinor));
            counters.add(new ReservedCounter(storeKey, amountMinor));
        }
        return counters;
    }

    private static void checkNoLimitOverspent(CompiledRuleSet rules, List<Rule> hardLimits, PaymentRequest request,
                                              String value, StoreStateView view) {
        if (hardLimits.isEmpty()) {
            return;
        }
        PaymentRequest probe = PaymentRequest.newBuilder(request)
                .setAmount(new Money(0L, request.getAmount().getCurrency()))
                .build();
        RuleInput probeInput = new RuleInput(probe, value, view);
        for (Rule rule : hardLimits) {
            Invariants.check(rule.evaluate(probeInput).isEmpty(), "approval of " + request.getTransactionId()
                    + " overspends the enforced limit " + rule.id() + " of rule set " + rules.version());
        }
    }

    private void record(Dimension dimension, String value, PaymentRequest request) {
        long requestedAtMs = request.getRequestedAt().toEpochMilli();
        stores.velocity().put(StoreKeys.velocity(dimension, value, requestedAtMs, request.getTransactionId()),
                new StoreStateView.VelocityValue(request.getAmount().getCurrency(),
                        request.getAmount().getAmountMinor()).text());
        for (Map.Entry<Dimension, String> other : Dimension.valuesOf(request).entrySet()) {
            if (other.getKey() != dimension) {
                String key = StoreKeys.distinct(dimension, value, other.getKey(), other.getValue());
                Long lastSeenMs = stores.distinct().get(key);
                stores.distinct().put(key, lastSeenMs == null ? requestedAtMs : Math.max(lastSeenMs, requestedAtMs));
            }
        }
        if (dimension == Dimension.ACCOUNT && request.getSignals() != null
                && request.getSignals().getDeviceHash() != null) {
            stores.devices().put(StoreKeys.device(value, request.getSignals().getDeviceHash()), requestedAtMs);
        }
    }

    private void addHistory(String accountId, String currency, long requestedAtMs, long deltaMinor) {
        LocalDate day = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(requestedAtMs), ZoneOffset.UTC);
        String key = StoreKeys.history(accountId, currency, day);
        Long before = stores.history().get(key);
        long after = (before == null ? 0L : before) + deltaMinor;
        if (after <= 0) {
            stores.history().delete(key);
        } else {
            stores.history().put(key, after);
        }
    }

    /**
     * Releases what {@code reservationKey} still holds: everything, or at most {@code upToMinor} of each
     * counter (a refund). A counter purged since (its period ended long ago) is skipped.
     *
     * @return the minor units released from the first counter (0 when nothing was held)
     */
    long release(Dimension dimension, String value, String transactionId, Long upToMinor, String reason,
                 ProcessingContext context) {
        String reservationKey = StoreKeys.reservation(dimension, value, transactionId);
        Reservation reservation = stores.reservations().get(reservationKey);
        if (reservation == null) {
            LOG.debug("Nothing of {} reserved in {} to release ({}) in task {}", transactionId, dimension, reason,
                    context.taskId());
            return 0L;
        }
        long firstReleased = 0L;
        boolean first = true;
        boolean emptied = true;
        for (ReservedCounter counter : reservation.getCounters()) {
            long releaseMinor = upToMinor == null ? counter.getAmountMinor()
                    : Math.min(upToMinor, counter.getAmountMinor());
            Long before = stores.usage().get(counter.getUsageKey());
            if (before != null && releaseMinor > 0) {
                long after = before - releaseMinor;
                Invariants.check(after >= 0, "releasing " + reservation.getTransactionId()
                        + " would take a usage counter below zero");
                if (after == 0) {
                    stores.usage().delete(counter.getUsageKey());
                } else {
                    stores.usage().put(counter.getUsageKey(), after);
                }
            }
            counter.setAmountMinor(counter.getAmountMinor() - releaseMinor);
            emptied &= counter.getAmountMinor() == 0;
            if (first) {
                firstReleased = releaseMinor;
                first = false;
            }
        }
        if (dimension == Dimension.ACCOUNT && upToMinor == null && NEVER_APPROVED.contains(reason)) {
            addHistory(value, reservation.getCurrency(), reservation.getRequestedAtMs(), -reservation.getAmountMinor());
        }
        if (upToMinor == null || emptied) {
            stores.reservations().delete(reservationKey);
        } else {
            stores.reservations().put(reservationKey, reservation);
        }
        return firstReleased;
    }
}
