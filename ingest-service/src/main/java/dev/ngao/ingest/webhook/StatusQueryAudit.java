package dev.ngao.ingest.webhook;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.StatusTransition;
import dev.ngao.ingest.audit.RequestAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Where a written status-query result is told: one audit record ({@code audit.ingest}), the webhook outcome
 * counter, and a warning when the result contradicts the status before it.
 *
 * @param audit    where each written result's audit record goes
 * @param outcomes the webhooks' outcome recorder
 * @param clock    when the audit record says it happened (UTC)
 */
public record StatusQueryAudit(Consumer<AuditRecord> audit, WebhookAudit outcomes, Clock clock) {

    private static final Logger LOG = LoggerFactory.getLogger(StatusQueryIntake.class);

    void written(ProviderEvent event) {
        outcomes.record(event.getProvider(), StatusQueryIntake.ACTION, event.getTransition().name(),
                event.getEventId(), StatusQueryIntake.ACTOR);
        audit.accept(AuditRecord.newBuilder()
                .setAuditId(UUID.randomUUID().toString())
                .setOccurredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setComponent(RequestAudit.COMPONENT)
                .setActor(StatusQueryIntake.ACTOR)
                .setAction(StatusQueryIntake.ACTION)
                .setSubjectType(RequestAudit.SUBJECT_TRANSACTION)
                .setSubjectId(event.getTransactionId())
                .setOutcome(AuditOutcome.SUCCESS)
                .setDetails(Map.of(
                        "provider", event.getProvider(),
                        "eventId", event.getEventId(),
                        WebhookRoutes.PROVIDER_EVENT_DETAIL, event.getProviderEventId(),
                        WebhookRoutes.TRANSITION_DETAIL, event.getTransition().name(),
                        "status", event.getStatus().name()))
                .build());
        if (event.getTransition() == StatusTransition.CONFLICT) {
            LOG.warn("Status-query result {} of transaction {}: {} after {}, recorded as a conflict for review",
                    event.getEventId(), event.getTransactionId(), event.getStatus(), event.getPreviousStatus());
        }
    }
}
