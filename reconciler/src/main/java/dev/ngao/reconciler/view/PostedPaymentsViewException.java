package dev.ngao.reconciler.view;

/** The ledger view's storage failed; nothing of the failed write was applied. */
public final class LedgerViewException extends RuntimeException {

    public LedgerViewException(String message, Throwable cause) {
        super(message, cause);
    }
}
