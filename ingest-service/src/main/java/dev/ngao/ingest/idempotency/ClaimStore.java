package dev.ngao.ingest.idempotency;

import dev.ngao.events.IdempotencyClaim;
import dev.ngao.events.IdempotencyCompletion;
import dev.ngao.events.IdempotencyRecord;
import dev.ngao.events.IdempotencyRelease;
import dev.ngao.ingest.state.IngestStateStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Claims on keys, kept in a {@link ClaimLog} (Kafka) and folded by a {@link ClaimTable} on every instance
 * (in RocksDB, rebuilt from the log at every start).
 *
 * <p>A claim first looks at the local table: a live answer is replayed and a live claim is reported in
 * progress without touching Kafka. Only a free key is claimed: the claim is appended and read back up to
 * its own offset, and the verdict is the table's state then. Because every instance folds the same records
 * in the same order with a rule that reads only the records, every instance names the same winner: the
 * first claim of the key in log order (see {@link ClaimTable}). Two instances racing the same key both
 * append; exactly one of the claims is first in the key's partition, and both read the same verdict.
 *
 * <p>Two ways to hold a key. {@link #claim} takes a lease: the winner does the work, then completes (the
 * answer is recorded) or releases. If it dies in between, its claim holds until the lease runs out, and a
 * retry may then redo the work. {@link #accept} writes a claim that carries what it accepts
 * ({@link ClaimPayload}) and holds for the whole answer expiry: one write, final once first in the log, with
 * nothing to redo. Whoever follows the log can finish the work from the payload ({@link #onAccepted}).
 */
public final class ClaimStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimStore.class);
    /** Watchers beyond this get an immediate wake-up instead of a place in the list (bounded memory). */
    private static final int MAXIMUM_WATCHERS = 100_000;

    private final ClaimLog log;
    private final ClaimTable table;
    private final String instanceId;
    private final Clock clock;
    private final Duration claimTimeout;
    private final Duration answerExpiry;
    private final Duration writeTimeout;
    private final Map<String, List<CompletableFuture<Void>>> watchers = new HashMap<>();
    private int watcherCount;
    private volatile Consumer<AcceptedClaim> acceptedListener = accepted -> { };

    /**
     * @param states where the fold of the log is kept (a store of its own, closed with this one)
     * @param maxEntries most keys the fold holds: those of one answer expiry
     * @param claimTimeout how long a claim holds without an answer (the lease written into each claim)
     * @param answerExpiry how long an answer is replayed (written into each completion)
     * @param writeTimeout how long an append may take to be acknowledged and read back
     */
    public ClaimStore(ClaimLog log, IngestStateStores states, long maxEntries, String instanceId, Clock clock,
                      Duration claimTimeout, Duration answerExpiry, Duration writeTimeout) {
        if (answerExpiry.compareTo(ClaimTable.MAXIMUM_ANSWER_EXPIRY) > 0) {
            throw new IllegalArgumentException("answers expire after at most " + ClaimTable.MAXIMUM_ANSWER_EXPIRY);
        }
        this.log = log;
        this.table = new ClaimTable(states, maxEntries);
        this.instanceId = instanceId;
        this.clock = clock;
        this.claimTimeout = claimTimeout;
        this.answerExpiry = answerExpiry;
        this.writeTimeout = writeTimeout;
    }

    /**
     * Tells {@code listener} of every accepting claim that wins its key, this instance's or another's, on the
     * follower's thread, before the writer learns its verdict. Set before {@link #start}.
     */
    public void onAccepted(Consumer<AcceptedClaim> listener) {
        this.acceptedListener = listener;
    }

    /** Starts following the log; claims read their verdicts from what it applies. */
    public void start() {
        log.start(this::applied);
    }

    private void applied(String recordKey, IdempotencyRecord record, ClaimPayload payload, boolean presentAtStart) {
        String acceptedSubjectId = payload == null ? null : payload.subjectId();
        if (table.apply(recordKey, record, acceptedSubjectId, clock.instant())) {
            if (payload != null && record.getStep() instanceof IdempotencyClaim claim) {
                tellAccepted(new AcceptedClaim(recordKey, payload, claim.getClaimedAt(), presentAtStart));
            }
            List<CompletableFuture<Void>> waiting;
            synchronized (watchers) {
                waiting = watchers.remove(recordKey);
                watcherCount -= waiting == null ? 0 : waiting.size();
            }
            if (waiting != null) {
                waiting.forEach(watcher -> watcher.complete(null));
            }
        }
    }

    private void tellAccepted(AcceptedClaim accepted) {
        try {
            acceptedListener.accept(accepted);
        } catch (RuntimeException e) {
            LOG.error("Listener of accepted claims failed on {}", accepted.payload().subjectId(), e);
        }
    }

    /** What a request with {@code fingerprint} gets from {@code key}'s live state here, if it has one; no write. */
    public Optional<ClaimOutcome> judge(ClaimKey key, String fingerprint) {
        return table.live(key.recordKey(), now()).map(state -> outcomeOf(state, fingerprint));
    }

    /**
     * Accepts {@code payload} under {@code key} with one write: a claim carrying the payload, holding the key
     * for the answer expiry. The verdict is the fold's once the claim is read back: {@link ClaimOutcome.Won}
     * if it is the first live claim of the key, otherwise what holds the key ({@link ClaimOutcome.Accepted}
     * for an earlier accepting claim). A key already held here is judged without writing.
     */
    public Acceptance accept(ClaimKey key, String fingerprint, ClaimPayload payload) {
        Instant now = now();
        Optional<ClaimState> known = table.live(key.recordKey(), now);
        if (known.isPresent()) {
            return Acceptance.judged(outcomeOf(known.get(), fingerprint));
        }
        if (table.saturatedAt(now)) {
            return Acceptance.judged(new ClaimOutcome.Undecidable());
        }
        String claimId = instanceId + "/" + UUID.randomUUID();
        IdempotencyRecord record = record(key, claimId,
                new IdempotencyClaim(fingerprint, now, now.plus(answerExpiry)));
        CompletableFuture<ClaimOutcome> settled = log.append(key.recordKey(), record, payload)
                .thenApply(ignored -> verdict(key, claimId, fingerprint));
        return new Acceptance(bounded(settled.copy()), settled);
    }

    /**
     * The verdict on an acceptance: {@code decided} fails after the write timeout, for the answer;
     * {@code settled} completes whenever Kafka decides, for the work that must follow a win even when the
     * answer gave up waiting.
     */
    public record Acceptance(CompletableFuture<ClaimOutcome> decided, CompletableFuture<ClaimOutcome> settled) {

        static Acceptance judged(ClaimOutcome outcome) {
            return new Acceptance(CompletableFuture.completedFuture(outcome), CompletableFuture.completedFuture(outcome));
        }
    }

    /** Claims {@code key} for a request with {@code fingerprint}, with the configured lease. */
    public CompletableFuture<ClaimOutcome> claim(ClaimKey key, String fingerprint) {
        return claim(key, fingerprint, claimTimeout);
    }

    /** Claims {@code key} with a lease of {@code lease} (short for locks). */
    public CompletableFuture<ClaimOutcome> claim(ClaimKey key, String fingerprint, Duration lease) {
        Instant now = now();
        Optional<ClaimState> known = table.live(key.recordKey(), now);
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(outcomeOf(known.get(), fingerprint));
        }
        if (table.saturatedAt(now)) {
            return CompletableFuture.completedFuture(new ClaimOutcome.Undecidable());
        }
        String claimId = instanceId + "/" + UUID.randomUUID();
        IdempotencyRecord record = record(key, claimId, new IdempotencyClaim(fingerprint, now, now.plus(lease)));
        return bounded(log.append(key.recordKey(), record))
                .thenApply(ignored -> verdict(key, claimId, fingerprint));
    }

    private ClaimOutcome verdict(ClaimKey key, String claimId, String fingerprint) {
        Optional<ClaimState> state = table.current(key.recordKey());
        if (state.isEmpty()) {
            // Our own claim was not kept: the table is full.
            return new ClaimOutcome.Undecidable();
        }
        if (state.get().claimId().equals(claimId)) {
            return new ClaimOutcome.Won(new ClaimTicket(key, claimId, fingerprint));
        }
        return outcomeOf(state.get(), fingerprint);
    }

    private static ClaimOutcome outcomeOf(ClaimState state, String fingerprint) {
        boolean sameRequest = state.fingerprint().equals(fingerprint);
        if (state instanceof ClaimState.Completed completed) {
            return new ClaimOutcome.Replay(completed.answer(), sameRequest);
        }
        if (state instanceof ClaimState.Accepted accepted) {
            return new ClaimOutcome.Accepted(accepted.subjectId(), sameRequest);
        }
        return new ClaimOutcome.InProgress(sameRequest);
    }

    /** Records the winner's answer; retries get it until it expires. */
    public CompletableFuture<Void> complete(ClaimTicket ticket, RecordedAnswer answer) {
        Instant now = now();
        IdempotencyCompletion completion = new IdempotencyCompletion(answer.status(), answer.avroHeaders(),
                ByteBuffer.wrap(answer.body()), now, now.plus(answerExpiry));
        return bounded(log.append(ticket.key().recordKey(), record(ticket.key(), ticket.claimId(), completion)));
    }

    /** Gives the key up without an answer to replay; the next claim may win at once. */
    public CompletableFuture<Void> release(ClaimTicket ticket, String reason) {
        IdempotencyRelease release = new IdempotencyRelease(now(), reason);
        return bounded(log.append(ticket.key().recordKey(), record(ticket.key(), ticket.claimId(), release)));
    }

    /** Completes at the next change of {@code key}'s state, or after {@code timeout}, whichever is first. */
    public CompletableFuture<Void> nextChange(ClaimKey key, Duration timeout) {
        CompletableFuture<Void> changed = new CompletableFuture<>();
        synchronized (watchers) {
            if (watcherCount >= MAXIMUM_WATCHERS) {
                changed.complete(null);
                return changed;
            }
            watchers.computeIfAbsent(key.recordKey(), ignored -> new ArrayList<>()).add(changed);
            watcherCount++;
        }
        changed.completeOnTimeout(null, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
                .whenComplete((ignored, error) -> forget(key.recordKey(), changed));
        return changed;
    }

    private void forget(String recordKey, CompletableFuture<Void> watcher) {
        synchronized (watchers) {
            List<CompletableFuture<Void>> waiting = watchers.get(recordKey);
            if (waiting != null && waiting.remove(watcher)) {
                watcherCount--;
                if (waiting.isEmpty()) {
                    watchers.remove(recordKey);
                }
            }
        }
    }

    /** The key's live state here, for diagnostics and tests. */
    public Optional<ClaimState> state(ClaimKey key) {
        return table.live(key.recordKey(), now());
    }

    public long size() {
        return table.size();
    }

    private IdempotencyRecord record(ClaimKey key, String claimId, Object step) {
        return IdempotencyRecord.newBuilder()
                .setScope(key.scope())
                .setKey(key.key())
                .setClaimId(claimId)
                .setInstanceId(instanceId)
                .setStep(step)
                .build();
    }

    private <T> CompletableFuture<T> bounded(CompletableFuture<T> future) {
        return future.orTimeout(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Milliseconds, as Avro keeps them: the fold must see the same instants this instance compared. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    public void close() {
        log.close();
        LOG.info("Claim store of {} closed with {} keys", instanceId, table.size());
        table.close();
    }
}
