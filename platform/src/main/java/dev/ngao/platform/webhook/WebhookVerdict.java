package dev.ngao.platform.webhook;

/** What the check of a webhook's signature concluded. Only {@link #VALID} may be acted on. */
public enum WebhookVerdict {
    VALID,
    /** No signature, or no timestamp, at all. */
    UNSIGNED,
    /** A signature or timestamp header that does not parse. */
    MALFORMED,
    /** Signed, but the timestamp is further from now than the tolerance, in the past or the future. */
    STALE,
    /** Well formed and on time, but no presented signature matches any of the secrets. */
    FORGED
}
