package dev.ngao.ingest.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where webhook outcomes are reported besides the audit record every call gets on {@code audit.ingest}
 * (which {@link WebhookRoutes} fills through the audit trail: provider as actor, reason, verdict): every
 * refused call (forged, stale, unsigned, unreadable) and every accepted event. The default writes them to
 * the log under {@code dev.ngao.ingest.webhook.audit}, so forgery attempts can be alerted on from the logs.
 * Entries carry ids, provider names and reasons, never payloads.
 */
public interface WebhookAudit {

    /**
     * @param action        webhook.refused or webhook.accepted
     * @param reason        the verdict or transition (FORGED, STALE, UNSIGNED, MALFORMED, INVALID_PAYLOAD, APPLIED, CONFLICT, ...)
     * @param subjectId     the event id when known, else empty
     * @param clientAddress the address the server saw
     */
    void record(String provider, String action, String reason, String subjectId, String clientAddress);

    /**
     * Logs each entry: refusals at WARN, for alerting; acceptances, one per provider event and so per payment, at
     * DEBUG (each is also an audit record on {@code audit.ingest}): at INFO they were a line per payment.
     */
    WebhookAudit LOGGING = new WebhookAudit() {
        private final Logger log = LoggerFactory.getLogger("dev.ngao.ingest.webhook.audit");

        @Override
        public void record(String provider, String action, String reason, String subjectId, String clientAddress) {
            if (action.endsWith("refused")) {
                log.warn("{} {} {} event={} client={}", action, provider, reason, subjectId, clientAddress);
            } else {
                log.debug("{} {} {} event={} client={}", action, provider, reason, subjectId, clientAddress);
            }
        }
    };
}
