package dev.ngao.risk.topology;

import dev.ngao.events.EmergencyStop;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.platform.invariant.Invariants;
import dev.ngao.risk.internal.AccountCommand;
import dev.ngao.risk.internal.AccountCommandKind;
import dev.ngao.risk.internal.BudgetRequest;
import dev.ngao.risk.internal.MerchantSlice;
import dev.ngao.risk.internal.ParkedRequest;
import dev.ngao.risk.internal.Reservation;
import dev.ngao.risk.internal.ReservedCounter;
import dev.ngao.risk.internal.SignalObservation;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.LimitRule;
import dev.ngao.rules.Resolution;
import dev.ngao.rules.Rule;
import dev.ngao.rules.RuleHit;
import dev.ngao.rules.RuleInput;
import dev.ngao.rules.UsageKey;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The decision task, keyed by account: every payment request is decided here in one hop, against every rule
 * of the merchant's rule set, and written to risk.decisions in the same exactly-once transaction as the
 * state it changed.
 *
 * <p>For one request, in one read-check-write: drop it if its transaction id was seen; decline it if an
 * operator's emergency stop in force covers it ({@link EmergencyStops}); evaluate every rule
 * (the account's own state exactly, other dimensions' velocity and distinct counts from the global signals
 * store); resolve; then, unless declined, reserve the amount on every counter of the enforced hard limits,
 * or on none. The account's counters are the task's own. A hard limit of another dimension (a merchant's
 * daily limit) is shared by accounts in every task, so each task reserves on its escrowed slice of that
 * counter, granted by the counter's owner (BudgetOwnerProcessor): a request its slice cannot cover waits
 * (parked, in order) until the owner answers a refill, and is declined only when the owner has nothing left.
 * The sum of the slices never exceeds the limit, so no approval ever overspends it. Declines reserve nothing.
 * Afterwards the request is counted: the account's day record (signals, devices, approved history) here, and one
 * {@link SignalObservation} to risk.signals for the global signals store.
 *
 * <p>A prepaid card's funds are the card's task's too ({@link CardFunds}): an approved load or refund to the card
 * adds, an approved or reviewed authorization holds, in the same call as the other counters.
 *
 * <p>Commands, routed to this task: RELEASE a transaction's reservation (an analyst declined it, the provider
 * failed it, the card network was answered DECLINE), GRANT budget to a slice (then the requests waiting for it
 * are decided), RESERVE a declined card authorization the network was answered APPROVE for, CREDIT a card load
 * an analyst approved to the card's funds.
 */
final class DecisionProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    /** Id of the check that the record key is the request's account; not a rule of any rule set. */
    static final String ACCOUNT_KEY_CHECK_ID = "request-keyed-by-account";
    /** Id of the decline of a request that could not wait for a shared limit's budget; not a rule of any rule set. */
    static final String BUDGET_WAIT_BOUND_ID = "shared-limit-wait-bound";
    /** Requests that may wait for one slice's refill; more are declined, so waiting stays bounded. */
    static final int MAXIMUM_WAITING = 1_000;
    /** A slice asks ahead for more when what it has left falls below 1/16 of the limit per task. */
    static final int REFILL_BELOW_SHARES = 16;

    private static final Logger LOG = LoggerFactory.getLogger(DecisionProcessor.class);
    private static final InternalSerde<PaymentRequest> REQUESTS = InternalSerde.of(PaymentRequest.class);
    private static final StringSerializer KEYS = new StringSerializer();
    private static final String TRACEPARENT = "traceparent";
    /** A release for this reason takes the amount out of the approved history too: it never was an approval. */
    private static final Set<String> NEVER_APPROVED = Set.of(ReleaseReason.REVIEW_DECLINED.name(),
            ReleaseReason.NETWORK_DECLINED.name(), ReleaseReason.LEDGER_REFUSED.name(),
            ReleaseReason.CHALLENGE_FAILED.name(), ReleaseReason.CHALLENGE_EXPIRED.name());

    private final RuleSetCatalog catalog;
    private final TopologyOptions options;

    private ProcessorContext<String, SpecificRecord> context;
    private DecisionStores stores;
    private SignalBook accountSignals;
    private SignalBook signals;
    private UsageCounters usage;
    private StoreListLookup lists;
    private int partition;

    DecisionProcessor(RuleSetCatalog catalog, TopologyOptions options) {
        this.catalog = catalog;
        this.options = options;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.stores = DecisionStores.of(context);
        this.usage = new UsageCounters(stores.accountSignals(), stores.legacyUsage(), stores.allTimeUsage(),
                RiskTopology.usageRetention(options));
        this.accountSignals = SignalBook.accounts(stores.accountSignals(), usage);
        this.signals = SignalBook.globalReader(stores.signals());
        this.lists = new StoreListLookup(stores.lists());
        this.partition = context.taskId().partition();
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        usage.beginRequest();
        try {
            dispatch(record);
        } catch (RuntimeException failure) {
            // What was reserved before the failure is written, as each counter was before it had a record of its
            // own: a handler that skips the record leaves the stores as the code left them.
            try {
                usage.endRequest();
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed);
            }
            throw failure;
        }
        usage.endRequest();
    }

    private void dispatch(Record<String, SpecificRecord> record) {
        if (record.value() instanceof PaymentRequest request) {
            onRequest(record.withValue(request));
        } else if (record.value() instanceof AccountCommand command) {
            onCommand(command);
        } else if (record.value() == null) {
            LOG.warn("Skipped a record without a value in task {}", context.taskId());
        }
    }

    private void onRequest(Record<String, PaymentRequest> record) {
        PaymentRequest request = record.value();
        long nowMs = context.currentSystemTimeMs();
        if (findTransaction(request.getTransactionId(), nowMs) != null) {
            LOG.debug("Dropped replayed request {} in task {}", request.getTransactionId(), context.taskId());
            return;
        }
        // The state and the waiting requests need no MSISDN in clear: no rule reads it, the account id is its hash.
        PaymentRequest carried = shallowCopy(request);
        carried.setMobileMoney(null);
        CompiledRuleSet rules = catalog.forMerchant(stores.ruleSets(), request.getMerchantId());
        Optional<EmergencyStop> stopped = EmergencyStops.covering(stores.stops(), request);
        if (stopped.isPresent()) {
            // Halted by an operator: declined before any rule, reserving and counting nothing.
            remember(carried, nowMs, List.of());
            emit(carried, new Resolution.Resolved(Outcome.DECLINE, null, List.of(new RuleHit(
                    EmergencyStops.REASON_ID, rules.version(), RuleAction.BLOCK, RuleMode.ENFORCE, null, 0,
                    EmergencyStops.message(stopped.get())))), rules, record.timestamp(), record.headers());
        } else if (!request.getAccountId().equals(record.key())) {
            // Check-and-reserve is atomic only in the account's own task; a request keyed otherwise may sit in
            // another task, so it is declined rather than half-checked.
            remember(carried, nowMs, List.of());
            emit(carried, new Resolution.Resolved(Outcome.DECLINE, null, List.of(new RuleHit(ACCOUNT_KEY_CHECK_ID,
                    rules.version(), RuleAction.BLOCK, RuleMode.ENFORCE, Dimension.ACCOUNT, 0,
                    "request was not keyed by its account id, so its limits cannot be checked atomically"))),
                    rules, record.timestamp(), record.headers());
        } else if (request.getType() == PaymentType.REFUND) {
            refund(carried);
            // A refund to a card is its own credit to the card's funds, as the ledger posts it.
            remember(carried, nowMs, List.of(), CardFunds.decided(usage, carried, Outcome.APPROVE));
            emit(carried, Resolution.resolve(List.of(), Optional.empty()), rules, record.timestamp(), record.headers());
        } else {
            decide(rules, carried, record.timestamp(), record.headers(), nowMs);
        }
    }

    /** What the rules said of one request and what an approval of it would reserve. */
    private record Evaluation(List<RuleHit> hits, List<UsageKey> accountKeys, List<UsageKey> sliceKeys,
                              Map<String, Long> sliceLimits, Set<String> hardLimitIds, List<Rule> accountHardLimits,
                              Map<String, List<UsageKey>> sliceRules, DecisionView view) {
    }

    private void decide(CompiledRuleSet rules, PaymentRequest request, long timestamp, Headers headers,
                        long seenAtMs) {
        Evaluation evaluation = evaluate(rules, request);
        Resolution.Resolved resolved = Resolution.resolve(evaluation.hits(), rules.scoreThresholds());
        long amountMinor = request.getAmount().getAmountMinor();
        List<UsageKey> shortSlices = shortSlices(evaluation, amountMinor);
        if (resolved.outcome() == Outcome.DECLINE && !shortSlices.isEmpty()) {
            Resolution.Resolved withoutShortSlices = withoutShortSlices(evaluation, shortSlices, rules);
            if (withoutShortSlices.outcome() != Outcome.DECLINE) {
                if (park(request, shortSlices, evaluation.sliceLimits(), timestamp, headers, seenAtMs)) {
                    return;
                }
                // Declined for the wait, not for the limit: the shared limit may well have room.
                resolved = tooManyWaiting(evaluation, shortSlices, rules);
            } else {
                // Declined by other rules: a slice not yet refilled is no reason, the shared limit has room.
                resolved = withoutShortSlices;
            }
        }
        boolean hardLimitMatched = evaluation.hits().stream()
                .anyMatch(hit -> hit.enforced() && evaluation.hardLimitIds().contains(hit.ruleId()));
        List<ReservedCounter> counters = List.of();
        boolean reserved = resolved.outcome() != Outcome.DECLINE && !hardLimitMatched && amountMinor > 0;
        if (reserved) {
            counters = reserve(evaluation, request, rules, timestamp);
        } else if (request.getType() == PaymentType.CARD_AUTHORIZATION && amountMinor > 0) {
            counters = unreserved(evaluation);
        }
        remember(request, seenAtMs, counters, CardFunds.decided(usage, request, resolved.outcome()));
        observe(request, reserved ? amountMinor : 0L);
        emit(request, resolved, rules, timestamp, headers);
    }

    private Evaluation evaluate(CompiledRuleSet rules, PaymentRequest request) {
        accountSignals.beginRequest();
        signals.beginRequest();
        Map<String, Long> sliceLimits = new HashMap<>();
        Map<String, List<UsageKey>> sliceRules = new LinkedHashMap<>();
        Set<String> hardLimitIds = new HashSet<>();
        List<Rule> accountHardLimits = new ArrayList<>();
        Map<Dimension, String> values = Dimension.valuesOf(request);
        for (Dimension dimension : rules.dimensions()) {
            String value = values.get(dimension);
            if (value == null) {
                continue;
            }
            for (Rule rule : rules.rulesOf(dimension)) {
                List<UsageKey> keys = rule.mode() == RuleMode.ENFORCE ? rule.usageKeys(request, value) : List.of();
                if (keys.isEmpty()) {
                    continue;
                }
                hardLimitIds.add(rule.id());
                if (dimension == Dimension.ACCOUNT) {
                    accountHardLimits.add(rule);
                }
                for (UsageKey key : keys) {
                    if (key.dimension() != Dimension.ACCOUNT && rule instanceof LimitRule limit) {
                        sliceLimits.merge(key.storeKey(),
                                limit.parameters().limits().get(request.getAmount().getCurrency()), Math::min);
                        sliceRules.computeIfAbsent(rule.id(), id -> new ArrayList<>()).add(key);
                    }
                }
            }
        }
        DecisionView view = new DecisionView(accountSignals, signals, usage, this::availableMinor, sliceLimits,
                stores.cards(), lists, options.deviceRetention(), options.historyRetention(),
                request.getRequestedAt());
        List<RuleHit> hits = new ArrayList<>();
        List<UsageKey> accountKeys = new ArrayList<>();
        List<UsageKey> sliceKeys = new ArrayList<>();
        for (Dimension dimension : rules.dimensions()) {
            String value = values.get(dimension);
            if (value == null) {
                continue;
            }
            RuleInput input = new RuleInput(request, value, view);
            hits.addAll(rules.evaluate(dimension, input));
            for (UsageKey key : rules.usageKeys(dimension, input)) {
                List<UsageKey> into = key.dimension() == Dimension.ACCOUNT ? accountKeys : sliceKeys;
                if (!into.contains(key)) {
                    into.add(key);
                }
            }
        }
        return new Evaluation(hits, accountKeys, sliceKeys, sliceLimits, hardLimitIds, accountHardLimits,
                sliceRules, view);
    }

    /** The slices that cannot cover the amount and may still be refilled by their owner. */
    private List<UsageKey> shortSlices(Evaluation evaluation, long amountMinor) {
        List<UsageKey> short_ = new ArrayList<>();
        for (UsageKey key : evaluation.sliceKeys()) {
            MerchantSlice slice = slice(key, evaluation.sliceLimits().get(key.storeKey()));
            if (amountMinor > slice.getGrantedMinor() - slice.getUsedMinor() && !slice.getExhausted()) {
                short_.add(key);
            }
        }
        return short_;
    }

    /**
     * The decision as if the short slices had the budget (their owner may still grant it): only when that
     * approves or reviews is waiting for a refill worth it.
     */
    private static Resolution.Resolved withoutShortSlices(Evaluation evaluation, List<UsageKey> shortSlices,
                                                          CompiledRuleSet rules) {
        return Resolution.resolve(hitsBesideShortSlices(evaluation, shortSlices), rules.scoreThresholds());
    }

    /**
     * The decision when the request cannot wait for its slice's refill ({@value #MAXIMUM_WAITING} already do):
     * DECLINE for that reason of its own, not the limit's (which may not be reached).
     */
    private static Resolution.Resolved tooManyWaiting(Evaluation evaluation, List<UsageKey> shortSlices,
                                                      CompiledRuleSet rules) {
        List<RuleHit> hits = new ArrayList<>(hitsBesideShortSlices(evaluation, shortSlices));
        Dimension shared = shortSlices.get(0).dimension();
        hits.add(new RuleHit(BUDGET_WAIT_BOUND_ID, rules.version(), RuleAction.BLOCK, RuleMode.ENFORCE, shared, 0,
                "more than " + MAXIMUM_WAITING + " payments already wait for budget of a shared " + shared
                        + " limit; retry later"));
        return Resolution.resolve(hits, rules.scoreThresholds());
    }

    /** The hits of every rule but those counting on a short slice. */
    private static List<RuleHit> hitsBesideShortSlices(Evaluation evaluation, List<UsageKey> shortSlices) {
        Set<String> sliceRuleIds = new HashSet<>();
        evaluation.sliceRules().forEach((ruleId, keys) -> {
            if (keys.stream().anyMatch(shortSlices::contains)) {
                sliceRuleIds.add(ruleId);
            }
        });
        return evaluation.hits().stream().filter(hit -> !sliceRuleIds.contains(hit.ruleId())).toList();
    }

    private Optional<Long> availableMinor(UsageKey key) {
        MerchantSlice slice = stores.slices().fetch(key.storeKey(), UsageCounters.periodStartMs(key));
        return Optional.of(slice == null ? 0L : slice.getGrantedMinor() - slice.getUsedMinor());
    }

    /** The task's slice of a counter, new and empty if it holds none; a changed limit may be asked again. */
    private MerchantSlice slice(UsageKey key, long limitMinor) {
        long periodStartMs = UsageCounters.periodStartMs(key);
        MerchantSlice slice = stores.slices().fetch(key.storeKey(), periodStartMs);
        if (slice == null) {
            return MerchantSlice.newBuilder().setPeriodStartMs(periodStartMs).setLimitMinor(limitMinor).build();
        }
        if (slice.getLimitMinor() != limitMinor) {
            slice.setLimitMinor(limitMinor);
            slice.setExhausted(false);
        }
        return slice;
    }

    private void putSlice(String storeKey, MerchantSlice slice) {
        stores.slices().put(storeKey, slice, slice.getPeriodStartMs());
    }

    /**
     * Reserves the amount on every account counter and every slice: all were checked by the rules in this
     * same call, so either all fit or the request was not approved. Then asserts that no enforced hard limit
     * is overspent and no slice used beyond its grant.
     */
    private List<ReservedCounter> reserve(Evaluation evaluation, PaymentRequest request, CompiledRuleSet rules,
                                          long timestamp) {
        long amountMinor = request.getAmount().getAmountMinor();
        List<ReservedCounter> counters = new ArrayList<>();
        for (UsageKey key : evaluation.accountKeys()) {
            long periodStartMs = UsageCounters.periodStartMs(key);
            usage.add(key.storeKey(), periodStartMs, amountMinor);
            counters.add(new ReservedCounter(key.storeKey(), periodStartMs, false, amountMinor));
        }
        for (UsageKey key : evaluation.sliceKeys()) {
            long limitMinor = evaluation.sliceLimits().get(key.storeKey());
            MerchantSlice slice = slice(key, limitMinor);
            slice.setUsedMinor(Math.addExact(slice.getUsedMinor(), amountMinor));
            Invariants.check(slice.getUsedMinor() <= slice.getGrantedMinor(), "approval of "
                    + request.getTransactionId() + " overspends this task's slice of a " + key.dimension()
                    + " limit of rule set " + rules.version());
            if (slice.getGrantedMinor() - slice.getUsedMinor() < chunkMinor(limitMinor)) {
                requestRefill(key, slice, 1L, timestamp);
            }
            putSlice(key.storeKey(), slice);
            counters.add(new ReservedCounter(key.storeKey(), slice.getPeriodStartMs(), true, amountMinor));
        }
        checkNoLimitOverspent(evaluation, request, rules);
        return counters;
    }

    /**
     * The counters a declined card authorization would have reserved on, each holding nothing: kept with the
     * transaction in case the network is answered APPROVE (see {@link #forceReserve}).
     */
    private static List<ReservedCounter> unreserved(Evaluation evaluation) {
        List<ReservedCounter> counters = new ArrayList<>();
        for (UsageKey key : evaluation.accountKeys()) {
            counters.add(new ReservedCounter(key.storeKey(), UsageCounters.periodStartMs(key), false, 0L));
        }
        for (UsageKey key : evaluation.sliceKeys()) {
            counters.add(new ReservedCounter(key.storeKey(), UsageCounters.periodStartMs(key), true, 0L));
        }
        return counters;
    }

    /**
     * Reserves a declined card authorization the network was answered APPROVE for (the timeout default): the
     * money is spent whatever risk said, so every counter its rules would have reserved on counts it, beyond
     * its limit if need be, and so does the approved history. A merchant slice takes it as used and as granted
     * at once: it is not the owner's budget that paid for it, so the slice's room for risk's own approvals
     * stays what the owner granted. Applied once per transaction.
     */
    private void forceReserve(String transactionId) {
        Reservation reservation = findTransaction(transactionId, context.currentSystemTimeMs());
        if (reservation == null || reservation.getWaiting() || reservation.getForced()) {
            LOG.warn("Card authorization {} cannot be reserved for the network's approval in task {}: {}",
                    transactionId, context.taskId(), reservation == null ? "not seen"
                            : reservation.getWaiting() ? "still waiting" : "already reserved");
            return;
        }
        long amountMinor = reservation.getAmountMinor();
        for (ReservedCounter counter : reservation.getCounters()) {
            if (counter.getSlice()) {
                MerchantSlice slice = stores.slices().fetch(counter.getUsageKey(), counter.getPeriodStartMs());
                if (slice == null) {
                    // No limit known here: the next request's rule sets it (see slice()).
                    slice = MerchantSlice.newBuilder().setPeriodStartMs(counter.getPeriodStartMs())
                            .setLimitMinor(0L).build();
                }
                slice.setGrantedMinor(Math.addExact(slice.getGrantedMinor(), amountMinor));
                slice.setUsedMinor(Math.addExact(slice.getUsedMinor(), amountMinor));
                putSlice(counter.getUsageKey(), slice);
            } else {
                usage.add(counter.getUsageKey(), counter.getPeriodStartMs(), amountMinor);
            }
            counter.setAmountMinor(amountMinor);
        }
        accountSignals.addApproved(Dimension.ACCOUNT, reservation.getAccountId(), reservation.getRequestedAtMs(),
                reservation.getCurrency(), amountMinor);
        // Held on the card's funds too, below zero if need be: the network approved it.
        CardFunds.moveLate(usage, reservation, -amountMinor);
        reservation.setForced(true);
        stores.transactions().put(transactionId, reservation, SignalBook.dayStart(reservation.getSeenAtMs()));
    }

    private static void checkNoLimitOverspent(Evaluation evaluation, PaymentRequest request, CompiledRuleSet rules) {
        if (evaluation.accountHardLimits().isEmpty()) {
            return;
        }
        PaymentRequest probe = shallowCopy(request);
        probe.setAmount(new Money(0L, request.getAmount().getCurrency()));
        RuleInput input = new RuleInput(probe, request.getAccountId(), evaluation.view());
        for (Rule rule : evaluation.accountHardLimits()) {
            Invariants.check(rule.evaluate(input).isEmpty(), "approval of " + request.getTransactionId()
                    + " overspends the enforced limit " + rule.id() + " of rule set " + rules.version());
        }
    }

    private long chunkMinor(long limitMinor) {
        return Math.max(1L, limitMinor / ((long) REFILL_BELOW_SHARES * options.partitions()));
    }

    /**
     * Asks the counter's owner for budget. The request carries the timestamp of the payment that needs it, and
     * the grant keeps it: the task takes its inputs in timestamp order, so the grant is taken right after
     * that payment instead of behind every payment queued since (which would wait for it, parked).
     */
    private void requestRefill(UsageKey key, MerchantSlice slice, long neededMinor, long timestamp) {
        if (slice.getRefillOutstanding() || slice.getExhausted()) {
            return;
        }
        slice.setRefillOutstanding(true);
        context.forward(new Record<>(key.storeKey(), BudgetRequest.newBuilder()
                .setSliceKey(key.storeKey())
                .setPeriodStartMs(slice.getPeriodStartMs())
                .setLimitMinor(slice.getLimitMinor())
                .setNeededMinor(Math.max(1L, neededMinor))
                .setPartition(partition)
                .setPartitions(options.partitions())
                .build(), timestamp));
    }

    /**
     * Parks the request until its first short slice is refilled, asking every short slice's owner for what
     * is missing. False when too many already wait for that slice: the request is then decided now.
     */
    private boolean park(PaymentRequest request, List<UsageKey> shortSlices, Map<String, Long> sliceLimits,
                         long timestamp, Headers headers, long seenAtMs) {
        long amountMinor = request.getAmount().getAmountMinor();
        UsageKey first = shortSlices.get(0);
        Map<UsageKey, MerchantSlice> touched = new LinkedHashMap<>();
        for (UsageKey key : shortSlices) {
            touched.put(key, slice(key, sliceLimits.get(key.storeKey())));
        }
        MerchantSlice waitingOn = touched.get(first);
        if (waitingOn.getWaiting() >= MAXIMUM_WAITING) {
            LOG.warn("{} requests already wait for a slice refill in task {}; deciding without waiting",
                    waitingOn.getWaiting(), context.taskId());
            return false;
        }
        DecisionMetrics.waited();
        long sequence = waitingOn.getWaitSequence();
        waitingOn.setWaitSequence(sequence + 1);
        waitingOn.setWaiting(waitingOn.getWaiting() + 1);
        Header trace = headers.lastHeader(TRACEPARENT);
        stores.parked().put(parkedKey(first.storeKey(), sequence), ParkedRequest.newBuilder()
                .setRequest(ByteBuffer.wrap(REQUESTS.encode(request)))
                .setTimestamp(timestamp)
                .setTraceparent(trace == null ? null : new String(trace.value(), StandardCharsets.UTF_8))
                .setSeenAtMs(seenAtMs)
                .build());
        for (Map.Entry<UsageKey, MerchantSlice> entry : touched.entrySet()) {
            MerchantSlice slice = entry.getValue();
            requestRefill(entry.getKey(), slice, amountMinor - (slice.getGrantedMinor() - slice.getUsedMinor()),
                    timestamp);
            putSlice(entry.getKey().storeKey(), slice);
        }
        stores.transactions().put(request.getTransactionId(), Reservation.newBuilder()
                .setTransactionId(request.getTransactionId())
                .setAccountId(request.getAccountId())
                .setSeenAtMs(seenAtMs)
                .setWaiting(true)
                .setCurrency(request.getAmount().getCurrency())
                .setAmountMinor(amountMinor)
                .setRequestedAtMs(request.getRequestedAt().toEpochMilli())
                .build(), SignalBook.dayStart(seenAtMs));
        return true;
    }

    private static String parkedKey(String sliceKey, long sequence) {
        return sliceKey + StoreKeys.SEPARATOR + StoreKeys.paddedTime(sequence);
    }

    private void onCommand(AccountCommand command) {
        if (command.getKind() == AccountCommandKind.GRANT) {
            onGrant(command);
        } else if (command.getKind() == AccountCommandKind.RESERVE) {
            forceReserve(command.getTransactionId());
        } else if (command.getKind() == AccountCommandKind.CREDIT) {
            creditLoad(command.getTransactionId());
        } else {
            release(command.getTransactionId(), null, command.getReason());
        }
    }

    /** Adds the owner's grant to the slice, then decides the requests that waited for it, in order. */
    private void onGrant(AccountCommand grant) {
        MerchantSlice slice = stores.slices().fetch(grant.getSliceKey(), grant.getPeriodStartMs());
        if (slice == null) {
            slice = MerchantSlice.newBuilder().setPeriodStartMs(grant.getPeriodStartMs())
                    .setLimitMinor(grant.getLimitMinor()).build();
        }
        slice.setGrantedMinor(Math.addExact(slice.getGrantedMinor(), grant.getGrantedMinor()));
        slice.setRefillOutstanding(false);
        slice.setExhausted(grant.getExhausted());
        slice.setLimitMinor(grant.getLimitMinor());
        putSlice(grant.getSliceKey(), slice);
        List<KeyValue<String, ParkedRequest>> waiting = new ArrayList<>();
        try (KeyValueIterator<String, ParkedRequest> parked = stores.parked()
                .prefixScan(grant.getSliceKey() + StoreKeys.SEPARATOR, KEYS)) {
            parked.forEachRemaining(waiting::add);
        }
        for (KeyValue<String, ParkedRequest> entry : waiting) {
            stores.parked().delete(entry.key);
            MerchantSlice current = stores.slices().fetch(grant.getSliceKey(), grant.getPeriodStartMs());
            current.setWaiting(Math.max(0, current.getWaiting() - 1));
            putSlice(grant.getSliceKey(), current);
            decideParked(entry.value);
        }
    }

    private void decideParked(ParkedRequest parked) {
        PaymentRequest request = REQUESTS.decode(CardFold.bytes(parked.getRequest()));
        // Kept with the request: no lookup of its transactions record per waiting request drained.
        long seenAtMs = parked.getSeenAtMs();
        Headers headers = new RecordHeaders();
        if (parked.getTraceparent() != null) {
            headers.add(TRACEPARENT, parked.getTraceparent().getBytes(StandardCharsets.UTF_8));
        }
        decide(catalog.forMerchant(stores.ruleSets(), request.getMerchantId()), request, parked.getTimestamp(),
                headers, seenAtMs);
    }

    private void refund(PaymentRequest refund) {
        String original = refund.getOriginalTransactionId();
        if (original == null) {
            LOG.warn("Refund {} names no original transaction; nothing to release", refund.getTransactionId());
            return;
        }
        long upToMinor = refund.getAmount().getAmountMinor();
        if (upToMinor > 0) {
            release(original, upToMinor, ReleaseReason.REFUNDED.name());
        }
    }

    /**
     * Releases what the transaction still holds: everything, or at most {@code upToMinor} of each counter (a
     * refund). An amount never approved (declined in review) also leaves the approved history.
     */
    private void release(String transactionId, Long upToMinor, String reason) {
        Reservation reservation = findTransaction(transactionId, context.currentSystemTimeMs());
        if (reservation == null || reservation.getWaiting()) {
            LOG.debug("Nothing of {} reserved to release ({}) in task {}", transactionId, reason, context.taskId());
            return;
        }
        boolean held = false;
        for (ReservedCounter counter : reservation.getCounters()) {
            long releaseMinor = upToMinor == null ? counter.getAmountMinor()
                    : Math.min(upToMinor, counter.getAmountMinor());
            if (releaseMinor <= 0) {
                continue;
            }
            held = true;
            if (counter.getSlice()) {
                releaseSlice(counter, releaseMinor, transactionId, reservation.getForced());
            } else {
                long after = usage.add(counter.getUsageKey(), counter.getPeriodStartMs(), -releaseMinor);
                Invariants.check(after >= 0, "releasing " + transactionId + " would take a usage counter below zero");
            }
            counter.setAmountMinor(counter.getAmountMinor() - releaseMinor);
        }
        if (held && upToMinor == null && NEVER_APPROVED.contains(reason)) {
            accountSignals.addApproved(Dimension.ACCOUNT, reservation.getAccountId(), reservation.getRequestedAtMs(),
                    reservation.getCurrency(), -reservation.getAmountMinor());
        }
        if (upToMinor == null) {
            // A refund leaves the hold of what it refunds: it is its own credit to the card.
            CardFunds.release(usage, reservation);
        }
        stores.transactions().put(transactionId, reservation, SignalBook.dayStart(reservation.getSeenAtMs()));
    }

    /** Credits a card load an analyst approved to the card's funds: in review it moved none. Applied once. */
    private void creditLoad(String transactionId) {
        Reservation reservation = findTransaction(transactionId, context.currentSystemTimeMs());
        if (reservation == null || reservation.getWaiting()
                || !CardFunds.moveLate(usage, reservation, reservation.getAmountMinor())) {
            LOG.warn("Card load {} cannot be credited to its card's funds in task {}: {}", transactionId,
                    context.taskId(), reservation == null ? "not seen" : "already credited or no card's");
            return;
        }
        stores.transactions().put(transactionId, reservation, SignalBook.dayStart(reservation.getSeenAtMs()));
    }

    /** A reservation the network forced also gives back the grant it brought, so the owner's budget stays exact. */
    private void releaseSlice(ReservedCounter counter, long releaseMinor, String transactionId, boolean forced) {
        MerchantSlice slice = stores.slices().fetch(counter.getUsageKey(), counter.getPeriodStartMs());
        if (slice == null) {
            return;
        }
        slice.setUsedMinor(slice.getUsedMinor() - releaseMinor);
        if (forced) {
            slice.setGrantedMinor(slice.getGrantedMinor() - releaseMinor);
        }
        Invariants.check(slice.getUsedMinor() >= 0, "releasing " + transactionId
                + " would take a slice's use below zero");
        putSlice(counter.getUsageKey(), slice);
    }

    private void remember(PaymentRequest request, long seenAtMs, List<ReservedCounter> counters) {
        remember(request, seenAtMs, counters, null);
    }

    /** As above, with what it moved on its card's funds ({@link CardFunds#decided}). */
    private void remember(PaymentRequest request, long seenAtMs, List<ReservedCounter> counters,
                          Long cardFundsMinor) {
        stores.transactions().put(request.getTransactionId(), Reservation.newBuilder()
                .setTransactionId(request.getTransactionId())
                .setAccountId(request.getAccountId())
                .setSeenAtMs(seenAtMs)
                .setCounters(counters)
                .setCurrency(request.getAmount().getCurrency())
                .setAmountMinor(request.getAmount().getAmountMinor())
                .setRequestedAtMs(request.getRequestedAt().toEpochMilli())
                .setCardFundsMinor(cardFundsMinor)
                .build(), SignalBook.dayStart(seenAtMs));
    }

    /**
     * The transaction's record, if it was seen within the replay retention. Records sit under the UTC day they
     * were first seen, so this is one point read per day of the retention (a bloom filter answers most of
     * them), newest first: cheaper than a range iterator over the store's segments for every request.
     */
    private Reservation findTransaction(String transactionId, long nowMs) {
        long oldestDayMs = SignalBook.dayStart(nowMs - options.replayRetention().toMillis());
        for (long dayMs = SignalBook.dayStart(nowMs); dayMs >= oldestDayMs; dayMs -= SignalBook.DAY_MS) {
            Reservation seen = stores.transactions().fetch(transactionId, dayMs);
            if (seen != null) {
                return seen;
            }
        }
        return null;
    }

    /**
     * Counts the request: the account's day record here (attempt, the values it came with, devices included,
     * and what it approved), every dimension through risk.signals.
     */
    private void observe(PaymentRequest request, long approvedMinor) {
        long requestedAtMs = request.getRequestedAt().toEpochMilli();
        Map<Dimension, String> values = Dimension.valuesOf(request);
        String currency = request.getAmount().getCurrency();
        long amountMinor = request.getAmount().getAmountMinor();
        accountSignals.observe(Dimension.ACCOUNT, request.getAccountId(), requestedAtMs, currency, amountMinor, values,
                approvedMinor);
        Map<String, String> named = new HashMap<>();
        values.forEach((dimension, value) -> named.put(dimension.name(), value));
        // Keyed by account: risk.signals has as many partitions as payments.requests, so each task writes one of
        // them, and an exactly-once transaction spans fewer partitions.
        context.forward(new Record<>(request.getAccountId(), SignalObservation.newBuilder()
                .setTransactionId(request.getTransactionId())
                .setRequestedAtMs(requestedAtMs)
                .setCurrency(currency)
                .setAmountMinor(amountMinor)
                .setValues(named)
                .setDecidedAtMs(context.currentSystemTimeMs())
                .build(), context.currentSystemTimeMs()));
    }

    private void emit(PaymentRequest request, Resolution.Resolved resolved, CompiledRuleSet rules, long timestamp,
                      Headers headers) {
        RiskDecision decision = Decisions.initial(request, resolved, rules.merchantId(),
                Instant.ofEpochMilli(context.currentSystemTimeMs()), options.challengeTimeout());
        DecisionMetrics.decided(decision);
        context.forward(new Record<>(request.getTransactionId(), decision, timestamp,
                new RecordHeaders(headers.toArray())));
    }

    /**
     * A copy sharing the request's field values: the builder's copy ({@code newBuilder(request)}) is deep, and
     * costs more than some rules per decision. Only top-level fields are set on the copy.
     */
    private static PaymentRequest shallowCopy(PaymentRequest request) {
        PaymentRequest copy = new PaymentRequest();
        int fields = PaymentRequest.getClassSchema().getFields().size();
        for (int field = 0; field < fields; field++) {
            copy.put(field, request.get(field));
        }
        return copy;
    }
}
