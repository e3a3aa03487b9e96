package dev.ngao.reconciler.view;

import org.apache.kafka.common.TopicPartition;
import org.rocksdb.RocksIterator;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.ngao.platform.rocksdb.RocksCodec.offsetKey;
import static dev.ngao.platform.rocksdb.RocksCodec.readLong;
import static dev.ngao.platform.rocksdb.RocksCodec.string;
import static dev.ngao.platform.rocksdb.RocksCodec.utf8;
import static dev.ngao.reconciler.view.ViewKeys.dayPrefix;
import static dev.ngao.reconciler.view.ViewKeys.referenceKey;

/** The view's reads: a payment by id or reference, a settlement day in order, the pending payments, the offsets. */
final class ViewQueries {

    private final ViewStorage storage;

    ViewQueries(ViewStorage storage) {
        this.storage = storage;
    }

    OptionalLong nextOffset(TopicPartition partition) {
        return storage.rocks().read(db -> readLong(db.get(storage.family(ViewFamily.OFFSETS), offsetKey(partition))));
    }

    Optional<ViewPayment> payment(String transactionId) {
        return storage.rocks().read(db -> Optional.ofNullable(db.get(storage.family(ViewFamily.PAYMENTS),
                utf8(transactionId))).map(ViewPayment::decode));
    }

    PostedPaymentsView.DayCursor openDay(String provider, LocalDate day) {
        return storage.rocks().read(db -> new PostedPaymentsView.DayCursor(db, storage.family(ViewFamily.DAY_INDEX),
                dayPrefix(provider, day)));
    }

    Optional<ViewPayment> paymentByReference(String provider, String reference) {
        return storage.rocks().read(db -> {
            byte[] transactionId = db.get(storage.family(ViewFamily.REFERENCES), referenceKey(provider, reference));
            if (transactionId == null) {
                return Optional.<ViewPayment>empty();
            }
            return Optional.ofNullable(db.get(storage.family(ViewFamily.PAYMENTS), transactionId))
                    .map(ViewPayment::decode);
        });
    }

    List<ViewPayment> pendingSince(long untilMs, int limit) {
        return storage.rocks().read(db -> {
            List<ViewPayment> pending = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(storage.family(ViewFamily.PENDING))) {
                for (iterator.seekToFirst(); iterator.isValid() && pending.size() < limit; iterator.next()) {
                    byte[] key = iterator.key();
                    if (ByteBuffer.wrap(key).getLong() > untilMs) {
                        break;
                    }
                    byte[] value = db.get(storage.family(ViewFamily.PAYMENTS),
                            Arrays.copyOfRange(key, Long.BYTES, key.length));
                    if (value != null) {
                        pending.add(ViewPayment.decode(value));
                    }
                }
                iterator.status();
            }
            return pending;
        });
    }

    Optional<byte[]> chaseState(String transactionId) {
        return storage.rocks().read(db -> Optional.ofNullable(db.get(storage.family(ViewFamily.CHASE),
                utf8(transactionId))));
    }

    List<PostedPaymentsView.ChaseEntry> chaseStatesAfter(String afterTransactionId, int limit) {
        return storage.rocks().read(db -> {
            List<PostedPaymentsView.ChaseEntry> states = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator(storage.family(ViewFamily.CHASE))) {
                if (afterTransactionId == null) {
                    iterator.seekToFirst();
                } else {
                    byte[] after = utf8(afterTransactionId);
                    iterator.seek(after);
                    if (iterator.isValid() && Arrays.equals(iterator.key(), after)) {
                        iterator.next();
                    }
                }
                for (; iterator.isValid() && states.size() < limit; iterator.next()) {
                    states.add(new PostedPaymentsView.ChaseEntry(string(iterator.key()), iterator.value()));
                }
                iterator.status();
            }
            return states;
        });
    }

    OptionalLong emittedAt(String breakId) {
        return storage.rocks().read(db -> readLong(db.get(storage.family(ViewFamily.EMITTED_BREAKS), utf8(breakId))));
    }
}
