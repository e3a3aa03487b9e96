package dev.ngao.risk.topology;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RiskSignals;
import dev.ngao.events.RuleAction;
import dev.ngao.events.StatusTransition;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.Interval;
import dev.ngao.rules.UsageKey;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.WindowStore;
import dev.ngao.risk.internal.MerchantSlice;
import dev.ngao.risk.internal.SignalDay;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.RiskDriver.rule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many seeded random streams through the whole topology: requests of several accounts from a few IPs and
 * devices, replays, provider outcomes (applied or not), refunds and review resolutions, in random order.
 * After every event: no usage counter is above its limit or below zero, and each request has exactly one
 * INITIAL decision (each resolution of a transaction in review one REVIEW_RESOLUTION). At the end: every
 * counter equals a recomputation from the requests approved (or in review) and not released, less refunds.
 */
class RandomizedEngineTest {

    private static final int EVENTS_PER_STREAM = 120;
    private static final String MERCHANT = "merchant-1";
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant START = Instant.parse("2026-03-09T20:00:00Z");
    private static final long ACCOUNT_DAILY = 50_000L;
    private static final long ACCOUNT_WEEKLY = 120_000L;
    private static final long MERCHANT_DAILY = 200_000L;
    private static final Set<ProviderStatus> RELEASING = Set.of(ProviderStatus.FAILED, ProviderStatus.EXPIRED,
            ProviderStatus.REVERSED);

    /** What all the streams exercised, so the test fails if the random streams stop reaching a path. */
    private static final Map<String, Integer> EXERCISED = new java.util.concurrent.ConcurrentHashMap<>();

    @TempDir
    Path stateDirectory;

    @org.junit.jupiter.api.AfterAll
    static void shouldHaveExercisedEveryPath() {
        assertThat(EXERCISED).as("paths the random streams reached").containsKeys("APPROVE", "REVIEW", "DECLINE",
                "provider release", "refund release", "review approve", "review decline");
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    /** What the model knows of one transaction. */
    private static final class Transaction {
        final PaymentRequest request;
        Outcome initial;
        boolean inReview;
        boolean approved;
        long reservedMinor;

        Transaction(PaymentRequest request) {
            this.request = request;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldNeverOverspendAndDecideOnceAndKeepUsageEqualToTheRecomputation(long seed) {
        Random random = new Random(seed);
        try (RiskDriver risk = new RiskDriver(stateDirectory.resolve("seed-" + seed))) {
            publishRuleSet(risk);
            Map<String, Transaction> transactions = new HashMap<>();
            List<Transaction> payments = new ArrayList<>();
            Map<String, Integer> initialDecisions = new HashMap<>();
            for (int event = 0; event < EVENTS_PER_STREAM; event++) {
                int kind = random.nextInt(100);
                if (kind < 50 || payments.isEmpty()) {
                    Transaction transaction = new Transaction(payment(random, "tx-" + seed + "-" + event));
                    transactions.put(transaction.request.getTransactionId(), transaction);
                    payments.add(transaction);
                    apply(risk.send(transaction.request), transactions, initialDecisions);
                } else if (kind < 60) {
                    Transaction replayed = payments.get(random.nextInt(payments.size()));
                    assertThat(risk.send(replayed.request)).as("decisions of a replay").isEmpty();
                } else if (kind < 75) {
                    Transaction paid = payments.get(random.nextInt(payments.size()));
                    ProviderStatus status = ProviderStatus.values()[random.nextInt(5)];
                    StatusTransition transition = random.nextInt(10) < 7 ? StatusTransition.APPLIED
                            : StatusTransition.values()[1 + random.nextInt(3)];
                    assertThat(risk.providerOutcome(paid.request.getTransactionId(), status, transition)).isEmpty();
                    if (transition == StatusTransition.APPLIED && RELEASING.contains(status) && paid.approved) {
                        EXERCISED.merge("provider release", 1, Integer::sum);
                        paid.reservedMinor = 0;
                        paid.approved = false;
                    }
                } else if (kind < 88) {
                    Transaction original = payments.get(random.nextInt(payments.size()));
                    long refundMinor = 1 + random.nextInt((int) Math.max(1, original.request.getAmount().getAmountMinor()));
                    Transaction refund = new Transaction(refund(original.request, "refund-" + seed + "-" + event,
                            refundMinor));
                    transactions.put(refund.request.getTransactionId(), refund);
                    if (original.reservedMinor > 0) {
                        EXERCISED.merge("refund release", 1, Integer::sum);
                    }
                    original.reservedMinor -= Math.min(refundMinor, original.reservedMinor);
                    apply(risk.send(refund.request), transactions, initialDecisions);
                    assertThat(refund.initial).isEqualTo(Outcome.APPROVE);
                } else {
                    Transaction reviewed = payments.get(random.nextInt(payments.size()));
                    Outcome outcome = random.nextBoolean() ? Outcome.APPROVE : Outcome.DECLINE;
                    List<RiskDecision> resolved = risk.resolve(reviewed.request.getTransactionId(),
                            "resolution-" + seed + "-" + event, outcome);
                    if (reviewed.inReview) {
                        assertThat(resolved).singleElement().satisfies(decision -> {
                            assertThat(decision.getKind()).isEqualTo(DecisionKind.REVIEW_RESOLUTION);
                            assertThat(decision.getOutcome()).isEqualTo(outcome);
                        });
                        EXERCISED.merge("review " + outcome.name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
                        reviewed.inReview = false;
                        reviewed.approved = outcome == Outcome.APPROVE;
                        if (outcome == Outcome.DECLINE) {
                            reviewed.reservedMinor = 0;
                        }
                    } else {
                        assertThat(resolved).as("resolution of a transaction not in review").isEmpty();
                    }
                }
                assertNoCounterOverItsLimitOrBelowZero(risk);
            }
            assertThat(initialDecisions.keySet()).isEqualTo(transactions.keySet());
            assertThat(initialDecisions.values()).allMatch(count -> count == 1);
            assertThat(usage(risk)).isEqualTo(recomputedUsage(transactions.values()));
        }
    }

    private static void publishRuleSet(RiskDriver risk) {
        risk.publish(MERCHANT, "random-v1",
                rule("positive", "amount-positive", "{}", RuleAction.BLOCK),
                rule("account-daily", "limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": " + ACCOUNT_DAILY + "}}",
                        RuleAction.BLOCK),
                rule("account-weekly", "limit", "{\"interval\": \"WEEK\", \"limits\": {\"KES\": " + ACCOUNT_WEEKLY + "}}",
                        RuleAction.BLOCK),
                rule("merchant-daily", "limit", "{\"dimension\": \"MERCHANT\", \"interval\": \"DAY\", "
                        + "\"limits\": {\"KES\": " + MERCHANT_DAILY + "}}", RuleAction.BLOCK),
                rule("ip-burst", "velocity-count", "{\"dimension\": \"IP\", \"windowSeconds\": 86400, \"max\": 4}",
                        RuleAction.REVIEW),
                rule("device-sharing", "distinct-count", "{\"dimension\": \"DEVICE\", \"counted\": \"ACCOUNT\", "
                        + "\"windowSeconds\": 86400, \"max\": 3}", RuleAction.BLOCK));
    }

    private static PaymentRequest payment(Random random, String transactionId) {
        String account = "acct-" + random.nextInt(5);
        long amountMinor = 1 + random.nextInt(30_000);
        Instant requestedAt = START.plusSeconds(random.nextInt(3 * 86_400));
        return PaymentRequest.newBuilder(request(transactionId, account, amountMinor, "KES", requestedAt))
                .setSignals(RiskSignals.newBuilder()
                        .setClientIp("10.0.0." + random.nextInt(3))
                        .setDeviceHash("device-" + random.nextInt(4))
                        .build())
                .build();
    }

    private static PaymentRequest refund(PaymentRequest original, String transactionId, long amountMinor) {
        return PaymentRequest.newBuilder(request(transactionId, original.getAccountId(), amountMinor, "KES",
                        original.getRequestedAt().plusSeconds(60)))
                .setType(PaymentType.REFUND)
                .setOriginalTransactionId(original.getTransactionId())
                .build();
    }

    private static void apply(List<RiskDecision> decisions, Map<String, Transaction> transactions,
                              Map<String, Integer> initialDecisions) {
        assertThat(decisions).as("one decision per new request").hasSize(1);
        RiskDecision decision = decisions.get(0);
        assertThat(decision.getKind()).isEqualTo(DecisionKind.INITIAL);
        initialDecisions.merge(decision.getTransactionId(), 1, Integer::sum);
        Transaction transaction = transactions.get(decision.getTransactionId());
        transaction.initial = decision.getOutcome();
        if (transaction.request.getType() == PaymentType.REFUND) {
            return;
        }
        EXERCISED.merge(decision.getOutcome().name(), 1, Integer::sum);
        transaction.inReview = decision.getOutcome() == Outcome.REVIEW;
        transaction.approved = decision.getOutcome() == Outcome.APPROVE;
        transaction.reservedMinor = decision.getOutcome() == Outcome.DECLINE ? 0
                : transaction.request.getAmount().getAmountMinor();
    }

    private static void assertNoCounterOverItsLimitOrBelowZero(RiskDriver risk) {
        usage(risk).forEach((key, reservedMinor) -> {
            assertThat(reservedMinor).as("counter %s", key).isPositive();
            assertThat(reservedMinor).as("counter %s", key).isLessThanOrEqualTo(limitOf(key));
        });
    }

    private static long limitOf(String key) {
        if (key.startsWith("MERCHANT|")) {
            return MERCHANT_DAILY;
        }
        return key.contains("|WEEK|") ? ACCOUNT_WEEKLY : ACCOUNT_DAILY;
    }

    private static Map<String, Long> usage(RiskDriver risk) {
        Map<String, Long> usage = new HashMap<>();
        // Each account's latest day record holds every live counter of it.
        Map<String, KeyValue<Windowed<String>, SignalDay>> latest = new HashMap<>();
        WindowStore<String, SignalDay> records = risk.windowStore(RiskTopology.ACCOUNT_SIGNALS_STORE);
        try (KeyValueIterator<Windowed<String>, SignalDay> entries = records.all()) {
            while (entries.hasNext()) {
                KeyValue<Windowed<String>, SignalDay> entry = entries.next();
                latest.merge(entry.key.key(), entry, (one, other) ->
                        one.key.window().start() >= other.key.window().start() ? one : other);
            }
        }
        latest.values().forEach(entry -> entry.value.getUsage()
                .forEach(counter -> usage.put(counter.getUsageKey(), counter.getReservedMinor())));
        WindowStore<String, MerchantSlice> slices = risk.windowStore(RiskTopology.MERCHANT_SLICES_STORE);
        try (KeyValueIterator<Windowed<String>, MerchantSlice> entries = slices.all()) {
            while (entries.hasNext()) {
                KeyValue<Windowed<String>, MerchantSlice> entry = entries.next();
                if (entry.value.getUsedMinor() != 0) {
                    usage.put(entry.key.key(), entry.value.getUsedMinor());
                }
            }
        }
        return usage;
    }

    private static Map<String, Long> recomputedUsage(Iterable<Transaction> transactions) {
        Map<String, Long> usage = new HashMap<>();
        for (Transaction transaction : transactions) {
            if (transaction.reservedMinor == 0) {
                continue;
            }
            PaymentRequest request = transaction.request;
            Instant at = request.getRequestedAt();
            Set<String> keys = new HashSet<>(List.of(
                    new UsageKey(Dimension.ACCOUNT, request.getAccountId(), "KES", Interval.DAY, UTC,
                            Interval.DAY.periodStart(at, UTC)).storeKey(),
                    new UsageKey(Dimension.ACCOUNT, request.getAccountId(), "KES", Interval.WEEK, UTC,
                            Interval.WEEK.periodStart(at, UTC)).storeKey(),
                    new UsageKey(Dimension.MERCHANT, MERCHANT, "KES", Interval.DAY, UTC,
                            Interval.DAY.periodStart(at, UTC)).storeKey()));
            keys.forEach(key -> usage.merge(key, transaction.reservedMinor, Long::sum));
        }
        return usage;
    }
}
