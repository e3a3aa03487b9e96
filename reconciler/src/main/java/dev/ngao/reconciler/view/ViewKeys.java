package dev.ngao.reconciler.view;

import java.time.LocalDate;

import static dev.ngao.platform.rocksdb.RocksCodec.SEPARATOR;
import static dev.ngao.platform.rocksdb.RocksCodec.concat;
import static dev.ngao.platform.rocksdb.RocksCodec.longBytes;
import static dev.ngao.platform.rocksdb.RocksCodec.utf8;

/** The keys of the view's indexes ({@link ViewFamily}); null where a payment has no entry in an index. */
final class ViewKeys {

    private ViewKeys() {
    }

    /** The day-index key: a payment in the ledger with a settlement day. */
    static byte[] indexKey(ViewPayment payment) {
        if (payment == null || !payment.inLedger()) {
            return null;
        }
        LocalDate day = payment.settlementDay();
        if (day == null) {
            return null;
        }
        return concat(dayPrefix(payment.provider(), day), utf8(payment.matchReference()));
    }

    static byte[] dayPrefix(String provider, LocalDate day) {
        return concat(utf8(provider), new byte[] {SEPARATOR}, utf8(day.toString()), new byte[] {SEPARATOR});
    }

    static byte[] referenceKey(String provider, String reference) {
        return concat(utf8(provider), new byte[] {SEPARATOR}, utf8(reference));
    }

    /** The pending key: an approved payment awaiting its provider, ordered by when it was decided. */
    static byte[] pendingKey(ViewPayment payment) {
        if (payment == null || !payment.awaitingProvider()) {
            return null;
        }
        return concat(longBytes(payment.decidedAtMs()), utf8(payment.transactionId()));
    }
}
