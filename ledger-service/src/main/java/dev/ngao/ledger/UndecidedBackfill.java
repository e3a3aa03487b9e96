package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static dev.ngao.platform.rocksdb.RocksCodec.utf8;

/**
 * Gives the {@link UndecidedSweeper} the {@link Lifecycle.Stage#UNDECIDED} lifecycles stored before the undecided
 * index existed: once per ledger, it walks the stored lifecycles in key order and writes a mark for each
 * undecided one that has none, so the sweep expires it like any other.
 *
 * <p>The index cannot be asked whether a payment has a mark (its keys are ordered by time), so the lifecycle
 * records the time of its mark ({@link Lifecycle#undecidedSince()}). Lifecycles marked before they kept that time
 * learn it first. Two walks, each one bounded step per pass:
 * <ol>
 *     <li>{@link Phase#ADOPT_MARKS}: the index's marks older than the backfill's start, oldest first; an
 *     undecided lifecycle without a time takes its mark's;</li>
 *     <li>{@link Phase#MARK_LIFECYCLES}: the lifecycles in key order; an undecided one still without a time has no
 *     mark and gets one, {@code since} the earliest posting of its payment (a provider fee posted with one of its
 *     waiting statuses, never before the first of them), else the time of the pass: it is then swept one
 *     retention after the backfill.</li>
 * </ol>
 * A pass runs on the poll thread (the store's one writer), between poll rounds, looks at most at
 * {@code maxPerPass} marks or lifecycles, and commits what it changed through {@link LedgerStore#commit} together
 * with where it stopped ({@link Progress}), so a restart resumes there. When the walk of the lifecycles reaches
 * their end, the backfill records that it is done and never walks again.
 */
final class UndecidedBackfill {

    private static final Logger LOG = LoggerFactory.getLogger(UndecidedBackfill.class);

    /** Where the backfill is; stored, so the order of the constants is on disk: only append. */
    enum Phase {
        ADOPT_MARKS,
        MARK_LIFECYCLES,
        DONE
    }

    /**
     * Where the backfill stands, stored in {@link LedgerFamily#METADATA} with the batch of each pass.
     *
     * @param phase        the walk under way
     * @param startedAt    when the first pass ran: marks from then on were written with their lifecycle's time
     * @param lastKey      the last key of the walk handled, empty before its first
     * @param marksAdopted lifecycles that took the time of the mark they had
     * @param marksWritten marks written for lifecycles that had none
     */
    record Progress(Phase phase, Instant startedAt, byte[] lastKey, long marksAdopted, long marksWritten) {

        static Progress start(Instant now) {
            return new Progress(Phase.ADOPT_MARKS, now, new byte[0], 0, 0);
        }

        boolean done() {
            return phase == Phase.DONE;
        }

        Progress resumeAt(byte[] key, long adopted, long written) {
            return new Progress(phase, startedAt, key, adopted, written);
        }

        Progress next(Phase following, long adopted, long written) {
            return new Progress(following, startedAt, new byte[0], adopted, written);
        }
    }

    private final LedgerStore store;
    private final Clock clock;
    private final int maxPerPass;
    /** Whether the store says the backfill is done; once true, a pass reads nothing. */
    private boolean done;

    UndecidedBackfill(LedgerStore store, Clock clock, int maxPerPass) {
        if (maxPerPass < 1) {
            throw new IllegalArgumentException("maxPerPass must be positive");
        }
        this.store = store;
        this.clock = clock;
        this.maxPerPass = maxPerPass;
    }

    /**
     * One bounded step of the walk, committed with where it stopped; returns whether it walked (false once the
     * backfill is done: then it reads nothing more).
     */
    boolean pass() {
        if (done) {
            return false;
        }
        Instant now = clock.instant();
        Progress progress = store.undecidedBackfill().orElseGet(() -> Progress.start(now));
        if (progress.done()) {
            done = true;
            return false;
        }
        LedgerBatch batch = store.newBatch();
        Progress next = progress.phase() == Phase.ADOPT_MARKS ? adoptMarks(batch, progress)
                : markLifecycles(batch, progress, now);
        batch.recordBackfill(next);
        store.commit(batch);
        if (next.done()) {
            done = true;
            LOG.info("Backfill of the undecided index done: {} marks written for lifecycles stored without one, "
                    + "{} marked lifecycles given their mark's time", next.marksWritten(), next.marksAdopted());
        }
        return true;
    }

    /** Gives undecided lifecycles without a time the time of their mark, for marks older than the backfill. */
    private Progress adoptMarks(LedgerBatch batch, Progress progress) {
        List<UndecidedSince> marks = store.undecidedAfter(progress.lastKey(), maxPerPass);
        byte[] lastKey = progress.lastKey();
        long adopted = progress.marksAdopted();
        for (UndecidedSince mark : marks) {
            if (!mark.since().isBefore(progress.startedAt())) {
                return progress.next(Phase.MARK_LIFECYCLES, adopted, progress.marksWritten());
            }
            Optional<Lifecycle> lifecycle = store.lifecycle(mark.transactionId());
            if (lifecycle.isPresent() && withoutTime(lifecycle.get())
                    && !batch.lifecycles().containsKey(mark.transactionId())) {
                batch.putLifecycle(lifecycle.get().withUndecidedSince(mark.since()));
                adopted++;
            }
            lastKey = LedgerCodec.undecidedKey(mark);
        }
        return marks.size() < maxPerPass ? progress.next(Phase.MARK_LIFECYCLES, adopted, progress.marksWritten())
                : progress.resumeAt(lastKey, adopted, progress.marksWritten());
    }

    /** Marks undecided lifecycles that still have no time: they have no mark. */
    private Progress markLifecycles(LedgerBatch batch, Progress progress, Instant now) {
        List<Lifecycle> lifecycles = store.lifecyclesAfter(progress.lastKey(), maxPerPass);
        byte[] lastKey = progress.lastKey();
        long written = progress.marksWritten();
        for (Lifecycle lifecycle : lifecycles) {
            if (withoutTime(lifecycle)) {
                batch.markUndecided(lifecycle, earliestPosting(lifecycle.transactionId()).orElse(now));
                written++;
            }
            lastKey = utf8(lifecycle.transactionId());
        }
        return lifecycles.size() < maxPerPass ? progress.next(Phase.DONE, progress.marksAdopted(), written)
                : progress.resumeAt(lastKey, progress.marksAdopted(), written);
    }

    private static boolean withoutTime(Lifecycle lifecycle) {
        return lifecycle.stage() == Lifecycle.Stage.UNDECIDED && lifecycle.undecidedSince() == null;
    }

    /**
     * When the payment's first entry was posted: an undecided payment's entries are fees posted with its provider
     * statuses, so this is never before its first waiting status.
     */
    private Optional<Instant> earliestPosting(String transactionId) {
        return store.entriesOfTransaction(transactionId).stream()
                .map(JournalEntry::getPostedAt)
                .min(Comparator.naturalOrder());
    }
}
