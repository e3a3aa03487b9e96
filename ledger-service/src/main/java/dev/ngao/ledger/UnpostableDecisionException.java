package dev.ngao.ledger;

/**
 * A decision that calls for an entry but whose facts cannot make a valid one (an amount that is not
 * positive, an id that cannot be part of an account name). Bad input, not a broken ledger: the
 * decision is logged with its transaction id and skipped, the ledger goes on.
 */
public final class UnpostableDecisionException extends RuntimeException {

    public UnpostableDecisionException(String message) {
        super(message);
    }

    public UnpostableDecisionException(String message, Throwable cause) {
        super(message, cause);
    }
}
