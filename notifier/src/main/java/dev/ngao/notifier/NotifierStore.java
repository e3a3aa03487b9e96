package dev.ngao.notifier;

import dev.ngao.platform.rocksdb.RocksStore;
import io.vertx.core.json.JsonObject;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static dev.ngao.platform.rocksdb.RocksCodec.startsWith;
import static dev.ngao.platform.rocksdb.RocksCodec.utf8;

/**
 * The notifier's state in RocksDB, one key space with a prefix per kind:
 * <ul>
 *   <li>{@code d/<webhookId>}: the delivery (its log entry, JSON); its presence is the de-duplication;</li>
 *   <li>{@code q/<due ms, 20 digits>/<webhookId>}: the schedule of PENDING deliveries, in due order;</li>
 *   <li>{@code t/<transactionId>/<webhookId>} and {@code m/<merchantId>/<created ms>/<webhookId>}: the
 *       query indexes;</li>
 *   <li>{@code w/<transactionId>/<webhookId>}: deliveries waiting for their payment request;</li>
 *   <li>{@code f/<transactionId>}: the payment request's facts (merchant, reference, type, amount).</li>
 * </ul>
 * A delivery and its indexes change in one write batch. Writes made while consuming are not synced one
 * by one: {@link #sync()} makes them durable before the consumer commits its offsets. Delivery outcomes
 * are synced as they are written.
 *
 * <p>Thread safety: the intake thread creates deliveries and promotes waiting ones; the dispatcher changes
 * PENDING ones only, so the two never change the same delivery. Any thread reads.
 */
final class NotifierStore implements AutoCloseable {

    private static final byte[] EMPTY = new byte[0];
    private static final long WRITE_BUFFER_BYTES = 8L * 1024 * 1024;
    private static final String DELIVERY = "d/";
    private static final String DUE = "q/";
    private static final String BY_TRANSACTION = "t/";
    private static final String BY_MERCHANT = "m/";
    private static final String WAITING = "w/";
    private static final String FACTS = "f/";

    /** RocksDB's default column family only: the prefixes above are the notifier's key spaces. */
    private final RocksStore rocks;

    private NotifierStore(RocksStore rocks) {
        this.rocks = rocks;
    }

    static NotifierStore open(Path directory) {
        // 8 MiB memtables (two at most) rather than RocksDB's 64 MiB: unflushed writes are resident memory, and
        // the notifier shares the embedded process with every other service.
        return new NotifierStore(RocksStore.at(directory, "notifier database")
                .tuneFamilies(family -> family.setWriteBufferSize(WRITE_BUFFER_BYTES))
                .open());
    }

    Optional<Delivery> delivery(String webhookId) {
        return rocks.read(db -> Optional.ofNullable(db.get(utf8(DELIVERY + webhookId)))
                .map(bytes -> Delivery.fromJson(new JsonObject(new String(bytes, StandardCharsets.UTF_8)))));
    }

    boolean exists(String webhookId) {
        return rocks.read(db -> db.get(utf8(DELIVERY + webhookId)) != null);
    }

    Optional<TransactionFacts> facts(String transactionId) {
        return rocks.read(db -> Optional.ofNullable(db.get(utf8(FACTS + transactionId)))
                .map(bytes -> TransactionFacts.fromJson(new JsonObject(new String(bytes, StandardCharsets.UTF_8)))));
    }

    /** Stores a payment request's facts (not synced: see {@link #sync()}). */
    void putFacts(TransactionFacts facts) {
        rocks.write(false, batch -> batch.put(utf8(FACTS + facts.transactionId()), utf8(facts.toJson().encode())));
    }

    /**
     * Writes {@code delivery} in place of {@code previous} (null for a new one) with every index moved
     * along; synced when {@code durable}, otherwise made durable by the next {@link #sync()}.
     */
    void putDelivery(Delivery previous, Delivery delivery, boolean durable) {
        rocks.write(durable, batch -> {
            if (previous != null) {
                removeIndexes(batch, previous);
            }
            batch.put(utf8(DELIVERY + delivery.webhookId()), utf8(delivery.toJson().encode()));
            batch.put(utf8(BY_TRANSACTION + delivery.transactionId() + "/" + delivery.webhookId()), EMPTY);
            if (delivery.merchantId() != null) {
                batch.put(merchantKey(delivery), EMPTY);
            }
            if (delivery.status() == DeliveryStatus.WAITING_FOR_REQUEST) {
                batch.put(utf8(WAITING + delivery.transactionId() + "/" + delivery.webhookId()), EMPTY);
            }
            if (delivery.status() == DeliveryStatus.PENDING) {
                batch.put(dueKey(delivery), EMPTY);
            }
        });
    }

    private void removeIndexes(WriteBatch batch, Delivery previous) throws RocksDBException {
        if (previous.status() == DeliveryStatus.WAITING_FOR_REQUEST) {
            batch.delete(utf8(WAITING + previous.transactionId() + "/" + previous.webhookId()));
        }
        if (previous.status() == DeliveryStatus.PENDING) {
            batch.delete(dueKey(previous));
        }
        if (previous.merchantId() != null) {
            batch.delete(merchantKey(previous));
        }
    }

    /** Makes every write so far durable (the write-ahead log, fsynced). */
    void sync() {
        rocks.read(db -> {
            db.flushWal(true);
            return null;
        });
    }

    /** Deliveries of {@code transactionId} waiting for its payment request. */
    List<Delivery> waitingFor(String transactionId) {
        List<String> ids = idsUnder(WAITING + transactionId + "/", Integer.MAX_VALUE);
        List<Delivery> waiting = new ArrayList<>();
        ids.forEach(id -> delivery(id).ifPresent(waiting::add));
        return waiting;
    }

    /** Ids of PENDING deliveries due at or before {@code now}, the earliest first, at most {@code limit}. */
    List<String> due(Instant now, int limit, Predicate<String> skip) {
        return rocks.read(db -> {
            List<String> ids = new ArrayList<>();
            byte[] prefix = utf8(DUE);
            long nowMs = now.toEpochMilli();
            try (RocksIterator iterator = db.newIterator()) {
                for (iterator.seek(prefix); iterator.isValid() && ids.size() < limit; iterator.next()) {
                    String key = new String(iterator.key(), StandardCharsets.UTF_8);
                    if (!key.startsWith(DUE)) {
                        break;
                    }
                    long dueMs = Long.parseLong(key.substring(DUE.length(), DUE.length() + 20));
                    if (dueMs > nowMs) {
                        break;
                    }
                    String id = key.substring(DUE.length() + 21);
                    if (!skip.test(id)) {
                        ids.add(id);
                    }
                }
            }
            return ids;
        });
    }

    /** How many deliveries are scheduled (PENDING). */
    long pendingCount() {
        return rocks.read(db -> {
            long count = 0;
            try (RocksIterator iterator = db.newIterator()) {
                byte[] prefix = utf8(DUE);
                for (iterator.seek(prefix); iterator.isValid() && startsWith(iterator.key(), prefix); iterator.next()) {
                    count++;
                }
            }
            return count;
        });
    }

    List<Delivery> byTransaction(String transactionId, int limit) {
        List<Delivery> found = new ArrayList<>();
        idsUnder(BY_TRANSACTION + transactionId + "/", limit).forEach(id -> delivery(id).ifPresent(found::add));
        return found;
    }

    /** A merchant's deliveries, the newest first, passing {@code filter}, at most {@code limit}. */
    List<Delivery> byMerchant(String merchantId, Predicate<Delivery> filter, int limit, int maxScanned) {
        return rocks.read(db -> {
            List<Delivery> found = new ArrayList<>();
            String prefix = BY_MERCHANT + merchantId + "/";
            byte[] prefixBytes = utf8(prefix);
            int scanned = 0;
            try (RocksIterator iterator = db.newIterator()) {
                // Newest first: from just past the prefix's last key backwards.
                iterator.seekForPrev(utf8(prefix + "~"));
                for (; iterator.isValid() && startsWith(iterator.key(), prefixBytes) && found.size() < limit
                        && scanned < maxScanned; iterator.prev()) {
                    scanned++;
                    String key = new String(iterator.key(), StandardCharsets.UTF_8);
                    String id = key.substring(key.lastIndexOf('/') + 1);
                    delivery(id).filter(filter).ifPresent(found::add);
                }
            }
            return found;
        });
    }

    /**
     * Deletes the facts of requests seen before {@code cutoff}, at most {@code limit} of them; returns how
     * many. A final status coming later still waits for a request, visibly, in the delivery log.
     */
    int purgeFacts(Instant cutoff, int limit) {
        List<byte[]> expired = rocks.read(db -> {
            List<byte[]> keys = new ArrayList<>();
            byte[] prefix = utf8(FACTS);
            try (RocksIterator iterator = db.newIterator()) {
                for (iterator.seek(prefix); iterator.isValid() && startsWith(iterator.key(), prefix)
                        && keys.size() < limit; iterator.next()) {
                    TransactionFacts facts = TransactionFacts.fromJson(
                            new JsonObject(new String(iterator.value(), StandardCharsets.UTF_8)));
                    if (facts.seenAt().isBefore(cutoff)) {
                        keys.add(iterator.key());
                    }
                }
            }
            return keys;
        });
        if (!expired.isEmpty()) {
            rocks.write(false, batch -> {
                for (byte[] key : expired) {
                    batch.delete(key);
                }
            });
        }
        return expired.size();
    }

    private List<String> idsUnder(String prefix, int limit) {
        return rocks.read(db -> {
            List<String> ids = new ArrayList<>();
            byte[] prefixBytes = utf8(prefix);
            try (ReadOptions readOptions = new ReadOptions(); RocksIterator iterator = db.newIterator(readOptions)) {
                for (iterator.seek(prefixBytes); iterator.isValid() && startsWith(iterator.key(), prefixBytes)
                        && ids.size() < limit; iterator.next()) {
                    String key = new String(iterator.key(), StandardCharsets.UTF_8);
                    ids.add(key.substring(prefix.length()));
                }
            }
            return ids;
        });
    }

    private static byte[] dueKey(Delivery delivery) {
        return utf8(DUE + String.format("%020d", delivery.nextAttemptAt().toEpochMilli()) + "/" + delivery.webhookId());
    }

    private static byte[] merchantKey(Delivery delivery) {
        return utf8(BY_MERCHANT + delivery.merchantId() + "/" + String.format("%020d", delivery.createdAt().toEpochMilli())
                + "/" + delivery.webhookId());
    }

    @Override
    public void close() {
        rocks.close();
    }
}
