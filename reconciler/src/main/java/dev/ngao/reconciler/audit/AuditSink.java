package dev.ngao.reconciler.audit;

import dev.ngao.events.AuditRecord;

import java.util.List;

/** Where the reconciler's audit records go: {@code audit.reconciler} in the service. */
@FunctionalInterface
public interface AuditSink {

    /**
     * Returns once every record was acknowledged.
     *
     * @throws RuntimeException if any record was not acknowledged
     */
    void publish(List<AuditRecord> records);
}
