package dev.ngao.launcher.faults;

import java.util.List;
import java.util.Map;

/**
 * What the fault suite saw of one run once it settled: the answers its merchant got, the records on the topics,
 * the ledger's own account of itself over its API, and what the provider took. {@link InvariantCheck} judges
 * them; nothing here is a conclusion.
 *
 * @param requests          every payment request the suite sent, with its final answer
 * @param requestRecords    every record on payments.requests
 * @param decisions         every record on risk.decisions
 * @param entries           every record on ledger.entries, republished copies included
 * @param ledger            the ledger API's trial balance and sequences
 * @param submissions       provider submissions per transaction id, as the provider counted them (calls that
 *                          were not replays of an earlier call's idempotency key)
 * @param providerOutcomes  the provider's status now, per transaction it took
 * @param breaks            every record on recon.breaks
 * @param reportRuns        the settlement reports reconciled at the end
 * @param statusQueryLag    records of providers.status-queries ingest has not applied yet (its group's lag)
 * @param health            each service's health check's HTTP status (0: no answer)
 */
record Observations(List<Request> requests, List<RequestRecord> requestRecords, List<Decision> decisions,
                    List<Entry> entries, LedgerState ledger, Map<String, Integer> submissions,
                    Map<String, String> providerOutcomes, List<Break> breaks, List<ReportRun> reportRuns,
                    long statusQueryLag, Map<String, Integer> health) {

    /** A request the suite sent: its idempotency key (also its merchant reference), final status (0: none). */
    record Request(String key, int status, String transactionId) {
    }

    record RequestRecord(String transactionId, String merchantReference) {
    }

    /** A decision: its kind (INITIAL, REVIEW_RESOLUTION, ...) and outcome (APPROVE, DECLINE, REVIEW). */
    record Decision(String transactionId, String kind, String outcome) {
    }

    /** A journal entry, its whole content: two copies of one entry id must be equal records. */
    record Entry(String entryId, long sequence, String transactionId, String sourceEventId, String kind,
                 List<Posting> postings, long postedAtMillis, String previousHash, String hash) {
    }

    record Posting(String account, String side, long amountMinor, String currency) {
    }

    /**
     * The ledger's answer: whether its trial balance balances, debits and credits per currency, the sequence of
     * its last entry and of the last one it published.
     */
    record LedgerState(boolean balanced, Map<String, Totals> totals, long lastSequence, long publishedSequence) {
    }

    record Totals(long debitsMinor, long creditsMinor) {
    }

    /** One record of recon.breaks, in log order: a break raised, or ({@code cleared}) that break cleared. */
    record Break(String breakId, String kind, String transactionId, boolean cleared) {
    }

    /** One settlement report reconciled: provider, day, rows, matched, breaks it found, and whether it ran. */
    record ReportRun(String provider, String day, long rows, long matched, long breaks, boolean completed) {
    }
}
