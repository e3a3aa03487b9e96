package dev.ngao.ledger;

import dev.ngao.events.AuditRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.platform.rocksdb.RocksCodec;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

import static dev.ngao.platform.rocksdb.RocksCodec.prefixKey;
import static dev.ngao.platform.rocksdb.RocksCodec.string;
import static dev.ngao.platform.rocksdb.RocksCodec.utf8;

/** How the ledger's keys and values are written on disk ({@link LedgerFamily} says which goes where). */
final class LedgerCodec {

    private LedgerCodec() {
    }

    static byte[] encodeEntry(JournalEntry entry) {
        try {
            return RocksCodec.toAvro(entry, JournalEntry::toByteBuffer);
        } catch (UncheckedIOException e) {
            throw new LedgerStoreException("Cannot encode entry " + entry.getEntryId(), e);
        }
    }

    static JournalEntry decodeEntry(byte[] bytes) {
        if (bytes == null) {
            throw new LedgerStoreException("an index names an entry that is not stored");
        }
        try {
            return RocksCodec.fromAvro(bytes, JournalEntry::fromByteBuffer);
        } catch (UncheckedIOException e) {
            throw new LedgerStoreException("a stored entry cannot be decoded", e);
        }
    }

    static byte[] encodeAudit(AuditRecord record) {
        try {
            return RocksCodec.toAvro(record, AuditRecord::toByteBuffer);
        } catch (UncheckedIOException e) {
            throw new LedgerStoreException("Cannot encode refusal " + record.getAuditId(), e);
        }
    }

    static AuditRecord decodeAudit(byte[] bytes) {
        try {
            return RocksCodec.fromAvro(bytes, AuditRecord::fromByteBuffer);
        } catch (UncheckedIOException e) {
            throw new LedgerStoreException("a stored refusal cannot be decoded", e);
        }
    }

    static byte[] encodeBalance(AccountBalance balance) {
        byte[] currency = utf8(balance.currency());
        return ByteBuffer.allocate(2 * Long.BYTES + currency.length)
                .putLong(balance.debitsMinor())
                .putLong(balance.creditsMinor())
                .put(currency)
                .array();
    }

    static AccountBalance decodeBalance(String account, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        long debitsMinor = buffer.getLong();
        long creditsMinor = buffer.getLong();
        byte[] currency = new byte[buffer.remaining()];
        buffer.get(currency);
        return new AccountBalance(account, string(currency), debitsMinor, creditsMinor);
    }

    /** {@code text}, 0x00, sequence: a transaction's or an account's entries in order. */
    static byte[] indexKey(String text, byte[] sequence) {
        byte[] prefix = prefixKey(text);
        return ByteBuffer.allocate(prefix.length + sequence.length).put(prefix).put(sequence).array();
    }

    /** postedAt epoch ms (8), sequence (8). */
    static byte[] timeKey(JournalEntry entry, byte[] sequence) {
        return ByteBuffer.allocate(2 * Long.BYTES).putLong(entry.getPostedAt().toEpochMilli()).put(sequence).array();
    }

    static byte[] undecidedKey(UndecidedSince mark) {
        byte[] transactionId = utf8(mark.transactionId());
        return ByteBuffer.allocate(Long.BYTES + transactionId.length).putLong(mark.since().toEpochMilli())
                .put(transactionId).array();
    }

    static UndecidedSince undecidedMark(byte[] key) {
        return new UndecidedSince(Instant.ofEpochMilli(ByteBuffer.wrap(key).getLong()),
                string(Arrays.copyOfRange(key, Long.BYTES, key.length)));
    }

    /** phase (1), startedAt epoch ms (8), marks adopted (8), marks written (8), last key handled (the rest). */
    static byte[] encodeBackfill(UndecidedBackfill.Progress progress) {
        return ByteBuffer.allocate(1 + 3 * Long.BYTES + progress.lastKey().length)
                .put((byte) progress.phase().ordinal())
                .putLong(progress.startedAt().toEpochMilli())
                .putLong(progress.marksAdopted())
                .putLong(progress.marksWritten())
                .put(progress.lastKey())
                .array();
    }

    static UndecidedBackfill.Progress decodeBackfill(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        UndecidedBackfill.Phase[] phases = UndecidedBackfill.Phase.values();
        int phase = buffer.get();
        if (phase < 0 || phase >= phases.length) {
            throw new LedgerStoreException("the stored progress of the undecided backfill names no known phase");
        }
        Instant startedAt = Instant.ofEpochMilli(buffer.getLong());
        long marksAdopted = buffer.getLong();
        long marksWritten = buffer.getLong();
        byte[] lastKey = new byte[buffer.remaining()];
        buffer.get(lastKey);
        return new UndecidedBackfill.Progress(phases[phase], startedAt, lastKey, marksAdopted, marksWritten);
    }
}
