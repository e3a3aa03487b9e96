package dev.ngao.sandbox.provider;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.ProviderKind;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One simulated provider: accepts payments, decides each one's outcome from the run's seed and the
 * transaction id (so the outcome does not depend on arrival order), answers status queries, plans the
 * webhooks of each payment with the run's misbehaviour, and lists what settled on a day.
 */
public final class SimulatedProvider {

    /** Beyond this many payments the sandbox refuses new ones: a bound on its memory. */
    public static final int MAXIMUM_PAYMENTS = 2_000_000;

    /** A submission's outcome: the payment, whether it is new, and the calls to make for it. */
    public record Accepted(SandboxPayment payment, boolean created, List<Delivery> deliveries) {
    }

    /**
     * A submission through the HTTP contract: its outcome, the answer body it gets, and whether it replayed an
     * earlier call's idempotency key (then outcome and answer are that call's, as they were given, and nothing
     * is to be sent again).
     */
    public record Keyed(Accepted accepted, Map<String, Object> answer, boolean replayed) {
    }

    private final Dialect dialect;
    private final Misbehaviour misbehaviour;
    private final int successPercent;
    private final Duration settleDelay;
    private final Clock clock;
    private final Consumer<Injection> injections;
    private final Map<String, SandboxPayment> payments = new ConcurrentHashMap<>();
    /** The first call of each idempotency key, replayed to later calls with the same key. */
    private final Map<String, Keyed> byIdempotencyKey = new ConcurrentHashMap<>();
    /** Submissions taken per transaction id (replays of a key not counted). */
    private final Map<String, Integer> submissions = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param successPercent how many payments in 100 succeed; the others fail (or expire, for CIPs)
     * @param settleDelay    how long after acceptance a payment reaches its final status and its final webhook goes
     * @param injections     told of every misbehaviour as it is injected
     */
    public SimulatedProvider(ProviderKind kind, Misbehaviour misbehaviour, int successPercent, Duration settleDelay,
                             Clock clock, Consumer<Injection> injections) {
        if (successPercent < 0 || successPercent > 100) {
            throw new IllegalArgumentException("successPercent must be between 0 and 100");
        }
        this.dialect = Dialect.of(kind);
        this.misbehaviour = misbehaviour;
        this.successPercent = successPercent;
        this.settleDelay = settleDelay;
        this.clock = clock;
        this.injections = injections;
    }

    public ProviderKind kind() {
        return dialect.kind();
    }

    Dialect dialect() {
        return dialect;
    }

    /**
     * Accepts a payment, or finds it again: a second submission of the same transaction id answers the first
     * payment and plans no webhook (it is still counted as a submission: {@link #submissions(String)}).
     */
    public Accepted submit(String transactionId, Money amount, String referenceHint) {
        return submit(transactionId, amount, referenceHint, null);
    }

    /**
     * As {@link #submit(String, Money, String)}, for a payment with an expiry (a CIP): one that is not paid
     * expires when the CIP does, not after the settle delay.
     */
    public Accepted submit(String transactionId, Money amount, String referenceHint, Instant expiresAt) {
        return submit(transactionId, amount, referenceHint, expiresAt, null).accepted();
    }

    /**
     * A submission as the HTTP contract makes it, honouring its {@code Idempotency-Key}: the first call with a key
     * is a submission (counted by {@link #submissions(String)}) and its answer is kept; a later call with the same
     * key and transaction replays that first answer and is no submission at all. A key already used for another
     * transaction is refused. Without a key every call is a submission of its own, as at a provider that takes
     * none: a repeated call of a known transaction answers its payment but counts as a second submission.
     */
    public synchronized Keyed submit(String transactionId, Money amount, String referenceHint, Instant expiresAt,
                                     String idempotencyKey) {
        if (idempotencyKey != null) {
            Keyed first = byIdempotencyKey.get(idempotencyKey);
            if (first != null) {
                if (!first.accepted().payment().transactionId().equals(transactionId)) {
                    throw new IllegalArgumentException("idempotency key already used for another transaction");
                }
                return new Keyed(first.accepted(), first.answer(), true);
            }
            if (byIdempotencyKey.size() >= MAXIMUM_PAYMENTS) {
                throw new IllegalStateException("the sandbox holds its maximum of idempotency keys");
            }
        }
        Accepted accepted = accept(transactionId, amount, referenceHint, expiresAt);
        submissions.merge(transactionId, 1, Integer::sum);
        Keyed keyed = new Keyed(accepted, answer(accepted.payment()), false);
        if (idempotencyKey != null) {
            byIdempotencyKey.put(idempotencyKey, keyed);
        }
        return keyed;
    }

    /**
     * How many submissions of {@code transactionId} the provider took: calls that were not replays of an earlier
     * call's idempotency key. More than 1 is a payment instructed twice.
     */
    public int submissions(String transactionId) {
        return submissions.getOrDefault(transactionId, 0);
    }

    private Accepted accept(String transactionId, Money amount, String referenceHint, Instant expiresAt) {
        SandboxPayment existing = payments.get(transactionId);
        if (existing != null) {
            return new Accepted(existing, false, List.of());
        }
        if (payments.size() >= MAXIMUM_PAYMENTS) {
            throw new IllegalStateException("the sandbox holds its maximum of payments");
        }
        Chance chance = new Chance(misbehaviour.seed(), kind().id() + "/" + transactionId);
        ProviderStatus outcome = chance.percent(successPercent) ? ProviderStatus.SUCCEEDED : dialect.unsuccessful();
        boolean waitsForQuery = chance.percent(misbehaviour.pendingUntilQueriedPercent());
        Instant now = clock.instant();
        long fee = amount.getAmountMinor() * dialect.feeBasisPoints() / 10_000;
        Instant settlesAt = outcome == ProviderStatus.EXPIRED && expiresAt != null && expiresAt.isAfter(now)
                ? expiresAt : now.plus(settleDelay);
        SandboxPayment payment = new SandboxPayment(kind(), transactionId,
                dialect.reference(sequence.incrementAndGet(), now, referenceHint, chance), amount,
                fee > 0 ? new Money(fee, amount.getCurrency()) : null, outcome, now,
                waitsForQuery ? null : settlesAt, waitsForQuery);
        SandboxPayment raced = payments.putIfAbsent(transactionId, payment);
        if (raced != null) {
            return new Accepted(raced, false, List.of());
        }
        if (waitsForQuery) {
            injections.accept(new Injection(Injection.Kind.PENDING_UNTIL_QUERIED, kind().id(), transactionId, ""));
        }
        Duration finalWait = waitsForQuery ? Duration.ZERO : Duration.between(now, settlesAt);
        return new Accepted(payment, true, WebhookPlanner.plan(payment, genuineWebhooks(payment), misbehaviour,
                finalWait, chance, dialect, injections));
    }

    /** The payment's state; a payment that waited for a query settles now. */
    public Optional<SandboxPayment> query(String transactionId) {
        SandboxPayment payment = payments.get(transactionId);
        if (payment != null) {
            payment.settleOnQuery(clock.instant());
        }
        return Optional.ofNullable(payment);
    }

    public Optional<SandboxPayment> find(String transactionId) {
        return Optional.ofNullable(payments.get(transactionId));
    }

    /** The provider's answer body for {@code payment}, now. */
    public Map<String, Object> answer(SandboxPayment payment) {
        return dialect.answer(payment, clock.instant());
    }

    /**
     * Payments that settled on {@code day} in the provider's settlement zone, by transaction id: those that
     * succeeded (or were reversed) and reached that status on that day.
     */
    public List<SandboxPayment> settledOn(LocalDate day) {
        List<SandboxPayment> settled = new ArrayList<>();
        Instant now = clock.instant();
        for (SandboxPayment payment : payments.values()) {
            Instant at = payment.finalAt();
            ProviderStatus status = payment.statusAt(now);
            if (at != null && (status == ProviderStatus.SUCCEEDED || status == ProviderStatus.REVERSED)
                    && at.atZone(kind().settlementZone()).toLocalDate().equals(day)) {
                settled.add(payment);
            }
        }
        settled.sort(Comparator.comparing(SandboxPayment::transactionId));
        return settled;
    }

    public int size() {
        return payments.size();
    }

    /** The webhooks a well-behaved provider sends: PENDING at once, the final status when it takes effect. */
    private List<Webhook> genuineWebhooks(SandboxPayment payment) {
        List<Webhook> webhooks = new ArrayList<>(2);
        String prefix = kind().id() + "-evt-" + payment.transactionId();
        webhooks.add(new Webhook(kind(), payment.transactionId(), prefix + "-1", ProviderStatus.PENDING,
                dialect.webhookBody(payment, ProviderStatus.PENDING, prefix + "-1", payment.acceptedAt())));
        if (!payment.pendingUntilQueried()) {
            webhooks.add(new Webhook(kind(), payment.transactionId(), prefix + "-2", payment.finalStatus(),
                    dialect.webhookBody(payment, payment.finalStatus(), prefix + "-2", payment.finalAt())));
        }
        return webhooks;
    }
}
