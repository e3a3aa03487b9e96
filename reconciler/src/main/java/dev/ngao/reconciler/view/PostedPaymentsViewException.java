package dev.ngao.reconciler.view;

/** The ledger view's storage failed; nothing of the failed write was applied. */
public final class PostedPaymentsViewException extends RuntimeException {

    public PostedPaymentsViewException(String message, Throwable cause) {
        super(message, cause);
    }
}
