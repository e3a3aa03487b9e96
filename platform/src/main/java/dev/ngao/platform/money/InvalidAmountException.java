package dev.ngao.platform.money;

/** An amount or currency refused at the edge; the message is safe to show to the caller. */
public final class InvalidAmountException extends IllegalArgumentException {

    public InvalidAmountException(String message) {
        super(message);
    }
}
