package dev.ngao.reconciler.report;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.providers.report.ReportFormatException;
import dev.ngao.reconciler.audit.ReconcilerAudit;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit record of a report run, on {@code audit.reconciler}, keyed by the run id: who ran which provider's day
 * on which file, and what came of it (the counts of a completed run, the problem of a refused report, the kind of
 * failure of a run that could not finish). Its {@code auditId} is deterministic from the run, the file, the actor
 * and the outcome: the same caller running the same file of the same day to the same outcome again (a client's
 * retry of an upload that timed out) is the same event, under the same id; another file, another caller or another
 * outcome is a run of its own.
 */
final class RunAudit {

    static final String REPORT_RUN_ACTION = "report.run";
    static final String SUBJECT_RUN = "report-run";
    /** A report's problem is a line number and a rule, short; longer text is cut. */
    static final int MAX_PROBLEM_LENGTH = 300;

    private RunAudit() {
    }

    /** A run that read its whole report and matched it. */
    static AuditRecord completed(RunOrigin origin, RunSummary summary, Instant at) {
        Map<String, String> details = common(summary.run(), origin);
        details.put("rows", Long.toString(summary.rowsRead()));
        details.put("paymentRows", Long.toString(summary.paymentRows()));
        details.put("feeRows", Long.toString(summary.feeRows()));
        details.put("ledgerPayments", Long.toString(summary.ledgerPayments()));
        details.put("matched", Long.toString(summary.matched()));
        details.put("breaks", Long.toString(summary.totalBreaks()));
        details.put("newBreaks", Long.toString(summary.newBreaks()));
        details.put("clean", Boolean.toString(summary.clean()));
        summary.breaksByKind().forEach((kind, count) -> details.put("breaks." + kind.name(), Long.toString(count)));
        return build(summary.run(), origin, AuditOutcome.SUCCESS, details, at);
    }

    /**
     * A run that ended before it completed: {@code REFUSED} when the report could not be read (its problem, a line
     * number and a rule, is named), {@code FAILED} otherwise (only the kind of failure is named).
     */
    static AuditRecord ended(RunId run, RunOrigin origin, Throwable failure, Instant at) {
        Map<String, String> details = common(run, origin);
        if (failure instanceof ReportFormatException refused) {
            details.put("problem", cut(refused.getMessage()));
            return build(run, origin, AuditOutcome.REFUSED, details, at);
        }
        details.put("failure", failure.getClass().getSimpleName());
        return build(run, origin, AuditOutcome.FAILED, details, at);
    }

    static String auditId(RunId run, RunOrigin origin, AuditOutcome outcome) {
        return "report-run:" + run.id() + ":" + origin.fileId() + ":" + origin.actor() + ":" + outcome.name();
    }

    private static Map<String, String> common(RunId run, RunOrigin origin) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("runId", run.id());
        details.put("provider", run.provider());
        details.put("settlementDay", run.day().toString());
        details.put("source", origin.source());
        details.put("fileSha256", origin.fileId());
        return details;
    }

    private static AuditRecord build(RunId run, RunOrigin origin, AuditOutcome outcome, Map<String, String> details,
                                     Instant at) {
        return AuditRecord.newBuilder()
                .setAuditId(auditId(run, origin, outcome))
                .setOccurredAt(at)
                .setComponent(ReconcilerAudit.COMPONENT)
                .setActor(origin.actor())
                .setAction(REPORT_RUN_ACTION)
                .setSubjectType(SUBJECT_RUN)
                .setSubjectId(run.id())
                .setOutcome(outcome)
                .setDetails(new HashMap<>(details))
                .build();
    }

    private static String cut(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_PROBLEM_LENGTH ? text : text.substring(0, MAX_PROBLEM_LENGTH) + "...";
    }
}
