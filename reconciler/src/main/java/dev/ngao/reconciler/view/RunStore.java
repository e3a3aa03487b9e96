package dev.ngao.reconciler.view;

import dev.ngao.platform.rocksdb.RocksCodec;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.util.Arrays;

/**
 * One report run's rows, on disk in their own column family, so a report of any size is held in bounded
 * memory: rows are keyed by reference, 0x00, their position in the report (a line may hold a payment and its
 * fee, two rows), so reading them back groups each reference's rows (its payment, duplicates, fee rows)
 * together and in the same byte order as the day index. Writes skip the
 * write-ahead log: a crashed run is dropped at open and starts again from its report.
 */
public final class RunStore implements AutoCloseable {

    /** Rows buffered before one write to RocksDB. */
    static final int WRITE_BATCH_ROWS = 10_000;

    private final ViewStorage storage;
    private final ColumnFamilyHandle handle;
    private final WriteOptions unlogged = new WriteOptions().setDisableWAL(true);
    private WriteBatch pending = new WriteBatch();
    private int pendingRows;
    private boolean closed;

    RunStore(ViewStorage storage, ColumnFamilyHandle handle) {
        this.storage = storage;
        this.handle = handle;
    }

    /** Adds one row's encoded value; the reference must not hold a 0x00 byte; positions are unique per run. */
    public void add(byte[] reference, long position, byte[] value) {
        try {
            pending.put(handle, RocksCodec.concat(reference, new byte[] {RocksCodec.SEPARATOR}, RocksCodec.longBytes(position)), value);
        } catch (org.rocksdb.RocksDBException e) {
            throw new PostedPaymentsViewException("Cannot buffer a report row: " + e.getMessage(), e);
        }
        if (++pendingRows >= WRITE_BATCH_ROWS) {
            flush();
        }
    }

    public void flush() {
        if (pendingRows > 0) {
            storage.writeRun(pending, unlogged);
            pending.close();
            pending = new WriteBatch();
            pendingRows = 0;
        }
    }

    /** The rows in key order; flushes first. Close the cursor. */
    public RowCursor rows() {
        flush();
        return new RowCursor(storage.runIterator(handle));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending.close();
        unlogged.close();
        storage.dropRun(handle);
    }

    /** Rows in (reference, position) order. */
    public static final class RowCursor implements AutoCloseable {

        private final RocksIterator iterator;

        private RowCursor(RocksIterator iterator) {
            this.iterator = iterator;
            iterator.seekToFirst();
        }

        public boolean valid() {
            return iterator.isValid();
        }

        /** The reference of the current row. */
        public byte[] reference() {
            byte[] key = iterator.key();
            return Arrays.copyOf(key, key.length - 1 - Long.BYTES);
        }

        public byte[] value() {
            return iterator.value();
        }

        public void next() {
            iterator.next();
        }

        @Override
        public void close() {
            iterator.close();
        }
    }
}
