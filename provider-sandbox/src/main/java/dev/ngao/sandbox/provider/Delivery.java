package dev.ngao.sandbox.provider;

import java.time.Duration;

/**
 * One call the sandbox will make to the ingest service: a webhook, how it is signed, and how long to wait
 * before sending it (after the previous call of the same payment).
 */
public record Delivery(Webhook webhook, Signing signing, Duration delay) {

    public enum Signing {
        /** With the configured secret, now. */
        VALID,
        /** With a secret the ingest service does not have: must be refused. */
        FORGED,
        /** With the configured secret, but a timestamp beyond the tolerance: must be refused. */
        STALE
    }
}
