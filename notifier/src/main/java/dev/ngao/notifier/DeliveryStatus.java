package dev.ngao.notifier;

/** Where one notification stands. */
public enum DeliveryStatus {
    /** The final status came before its payment request (another topic): it waits for the merchant's reference. */
    WAITING_FOR_REQUEST,
    /** Scheduled: the next attempt is due at {@code nextAttemptAt}. */
    PENDING,
    /** The merchant answered 2xx. Final. */
    ACKNOWLEDGED,
    /** Every attempt until the give-up deadline failed. Final. */
    GAVE_UP,
    /** The merchant has no endpoint configured; nothing was sent. Final. */
    NO_ENDPOINT;

    boolean finished() {
        return this == ACKNOWLEDGED || this == GAVE_UP || this == NO_ENDPOINT;
    }
}
