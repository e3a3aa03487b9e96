package dev.ngao.ledger;

/** A text that is not a well-formed ledger account name; the message says why, and is safe to return to callers. */
public final class InvalidAccountNameException extends IllegalArgumentException {

    public InvalidAccountNameException(String message) {
        super(message);
    }
}
