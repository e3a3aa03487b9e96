package dev.ngao.ledger;

/** The ledger's database failed (disk full, I/O error, closed). Nothing of the failed write was kept. */
public final class LedgerStoreException extends RuntimeException {

    public LedgerStoreException(String message) {
        super(message);
    }

    public LedgerStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
