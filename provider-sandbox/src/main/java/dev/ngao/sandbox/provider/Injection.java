package dev.ngao.sandbox.provider;

/** A misbehaviour the sandbox injected, as it happened: what, to which transaction, and which event or report row. */
public record Injection(Kind kind, String provider, String transactionId, String detail) {

    public enum Kind {
        WEBHOOK_DUPLICATED, WEBHOOKS_REORDERED, WEBHOOK_DELAYED, WEBHOOK_DROPPED, WEBHOOK_FORGED, WEBHOOK_STALE,
        PENDING_UNTIL_QUERIED,
        REPORT_ROW_MISSING, REPORT_ROW_EXTRA, REPORT_ROW_DUPLICATED, REPORT_AMOUNT_CHANGED, REPORT_CURRENCY_CHANGED,
        REPORT_STATUS_CHANGED
    }
}
