package dev.ngao.schemas.topics;

import dev.ngao.events.ApiKeyRecord;
import dev.ngao.events.ApprovalRequest;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.CardAuthorizationAnswer;
import dev.ngao.events.CardEvent;
import dev.ngao.events.ConsoleUserRecord;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.IdempotencyRecord;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderHealthEvent;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.events.StopScope;
import dev.ngao.events.StopTraffic;
import dev.ngao.events.SubmissionIntent;
import dev.ngao.events.SubmissionResult;

import java.time.Duration;
import java.util.List;

/**
 * Every topic of Ngao, declared once. Names follow {@code <domain>.<entity>[.<event>]}.
 * Nothing else in the code base spells a topic name.
 */
public final class Topics {

    /** PCI DSS 10.5.1 asks for a year of audit history; a little more absorbs clock and rollover slack. */
    public static final Duration AUDIT_RETENTION = Duration.ofDays(400);

    private static final int DEFAULT_PARTITIONS = 6;

    public static final Topic<String, PaymentRequest> PAYMENT_REQUESTS = new Topic<>(
            "payments.requests", String.class, PaymentRequest.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Duration.ofDays(30), Writer.INGEST_SERVICE,
            "Accepted payment requests, keyed by the account whose limits they consume.");

    public static final Topic<String, ProviderEvent> PROVIDER_EVENTS = new Topic<>(
            "providers.events", String.class, ProviderEvent.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Duration.ofDays(30), Writer.INGEST_SERVICE,
            "Normalised provider outcomes (webhooks, status queries), keyed by transaction id.");

    /**
     * Results of the reconciler's status queries of payments stuck pending, normalised (source STATUS_QUERY).
     * ingest-service, the only door to {@link #PROVIDER_EVENTS}, applies them with the same de-duplication and
     * status-transition rules as webhooks.
     */
    public static final Topic<String, ProviderEvent> PROVIDER_STATUS_QUERIES = new Topic<>(
            "providers.status-queries", String.class, ProviderEvent.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Duration.ofDays(30), Writer.RECONCILER,
            "Status-query results for stuck payments, keyed by transaction id; ingest turns them into provider events.");

    /**
     * The reconciler's outbox of provider calls: its submission stream processor writes one intent per call it
     * decides, in the exactly-once transaction of the state that decided it, and its dispatcher (a plain
     * read_committed consumer) makes the call. Each intent holds the payment request, the wallet's MSISDN in
     * clear among it, so the topic is kept exactly as long as {@link #PAYMENT_REQUESTS} and read by the
     * reconciler alone.
     */
    public static final Topic<String, SubmissionIntent> PROVIDER_SUBMISSIONS = new Topic<>(
            "providers.submissions", String.class, SubmissionIntent.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, PAYMENT_REQUESTS.retention(), Writer.RECONCILER,
            "Provider calls the reconciler decided (outbox, holds the request's MSISDN in clear), keyed by transaction id.");

    /**
     * What each intent's provider call came to, written by the dispatcher and read back by the submission
     * processor. As many partitions as {@link #RISK_DECISIONS}, so a result reaches the task of its transaction.
     * No personal data; kept as long as the intents.
     */
    public static final Topic<String, SubmissionResult> PROVIDER_SUBMISSION_RESULTS = new Topic<>(
            "providers.submission-results", String.class, SubmissionResult.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, PAYMENT_REQUESTS.retention(), Writer.RECONCILER,
            "Results of the reconciler's provider calls (answer, refusal, retryable failure), keyed by transaction id.");

    /** Compacted: the latest record of a provider is its health; the history stays in the audit trail. */
    public static final Topic<String, ProviderHealthEvent> PROVIDER_HEALTH = new Topic<>(
            "providers.health", String.class, ProviderHealthEvent.class, 1,
            CleanupPolicy.COMPACT, Topic.FOREVER, Writer.RECONCILER,
            "Provider went down or came back, as the heartbeat saw it, keyed by provider.");

    public static final Topic<String, RiskDecision> RISK_DECISIONS = new Topic<>(
            "risk.decisions", String.class, RiskDecision.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Duration.ofDays(30), Writer.RISK_STREAMS,
            "Exactly one decision per payment request, keyed by transaction id.");

    /** Every event of a card is kept: its state is the fold of them, and compaction would drop the issuance. */
    public static final Topic<String, CardEvent> CARD_EVENTS = new Topic<>(
            "cards.events", String.class, CardEvent.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Topic.FOREVER, Writer.INGEST_SERVICE,
            "Card issuance, freezes and spending controls, keyed by card id.");

    public static final Topic<String, CardAuthorizationAnswer> CARD_AUTHORIZATIONS = new Topic<>(
            "cards.authorizations", String.class, CardAuthorizationAnswer.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Duration.ofDays(400), Writer.INGEST_SERVICE,
            "What the card network was answered and who decided (risk or the timeout default), keyed by transaction id.");

    public static final Topic<String, ReviewResolution> RISK_REVIEWS = new Topic<>(
            "risk.reviews", String.class, ReviewResolution.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Duration.ofDays(400), Writer.INGEST_SERVICE,
            "Analysts' resolutions of transactions in review, keyed by transaction id.");

    /** Compacted: the latest record of a key is the entry; a tombstone removes it. */
    /**
     * Operators' emergency stops (payouts or all traffic, per merchant, provider or everywhere), compacted, the
     * latest record of a key in force while active. One partition: stops are few, and every risk-streams
     * instance reads them all into a global store.
     */
    public static final Topic<String, EmergencyStop> RISK_STOPS = new Topic<>(
            "risk.stops", String.class, EmergencyStop.class, 1,
            CleanupPolicy.COMPACT, Topic.FOREVER, Writer.INGEST_SERVICE,
            "Emergency stops set and lifted by operators, keyed by scope, target and traffic.");

    /** The key of a stop on {@link #RISK_STOPS}: {@code scope|target|traffic}, target empty for GLOBAL. */
    public static String stopKey(StopScope scope, String target, StopTraffic traffic) {
        return scope.name() + "|" + (target == null ? "" : target) + "|" + traffic.name();
    }

    public static final Topic<String, ListEntryChange> RISK_LISTS = new Topic<>(
            "risk.lists", String.class, ListEntryChange.class, DEFAULT_PARTITIONS,
            CleanupPolicy.COMPACT, Topic.FOREVER, Writer.INGEST_SERVICE,
            "Allow and block list entries, keyed by merchant, list, dimension and value hash.");

    /** Compacted: the latest rule set of a merchant is the one in force. */
    public static final Topic<String, RuleSetPublished> RISK_RULESETS = new Topic<>(
            "risk.rulesets", String.class, RuleSetPublished.class, DEFAULT_PARTITIONS,
            CleanupPolicy.COMPACT, Topic.FOREVER, Writer.INGEST_SERVICE,
            "Published rule sets, keyed by merchant id (or default).");

    /**
     * Records risk-streams could not read or process, as they were (raw key and value bytes), with the reason
     * in Kafka Streams' dead-letter headers ({@code __streams.errors.*}); processing goes on past them.
     */
    public static final Topic<byte[], byte[]> RISK_DEAD_LETTERS = new Topic<>(
            "risk.dead-letters", byte[].class, byte[].class, 1,
            CleanupPolicy.DELETE, Duration.ofDays(30), Writer.RISK_STREAMS,
            "Undecodable or unprocessable input of risk-streams, raw, with the reason in headers.");

    /**
     * One small record per decided request (its time, amount and the keyed hashes of its dimensions), which
     * every risk-streams instance folds into its global signals store: the cross-account velocity and
     * distinct counts the decision task reads locally. Plain Avro internal to risk-streams (raw bytes here);
     * kept as long as the longest velocity window it serves. Clear PII never appears in it.
     */
    public static final Topic<String, byte[]> RISK_SIGNALS = new Topic<>(
            "risk.signals", String.class, byte[].class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Duration.ofDays(32), Writer.RISK_STREAMS,
            "Observations of decided requests (hashed dimensions, amount, time) for risk-streams' global signals store, keyed by account.");

    /**
     * Commands to risk-streams' decision tasks, as many partitions as payments.requests so that a command
     * reaches the task of its account: releases (after an analyst's decline or a provider's failure) keyed by
     * account, and grants of a shared limit's budget routed to the partition that asked. Internal Avro, raw here.
     */
    public static final Topic<String, byte[]> RISK_COMMANDS = new Topic<>(
            "risk.commands", String.class, byte[].class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Duration.ofDays(7), Writer.RISK_STREAMS,
            "Releases and budget grants for risk-streams' decision tasks, keyed by account or limit counter.");

    /** Decision tasks asking the owner of a shared hard limit (a merchant's daily limit) for budget; internal Avro. */
    public static final Topic<String, byte[]> RISK_BUDGET_REQUESTS = new Topic<>(
            "risk.budget-requests", String.class, byte[].class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Duration.ofDays(7), Writer.RISK_STREAMS,
            "Refill requests of risk-streams' escrowed limit slices, keyed by the limit counter.");

    public static final Topic<String, JournalEntry> LEDGER_ENTRIES = new Topic<>(
            "ledger.entries", String.class, JournalEntry.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Topic.FOREVER, Writer.LEDGER_SERVICE,
            "Every posted journal entry, keyed by transaction id, for analysts and the reconciler.");

    /**
     * Approved payments the ledger refused for want of funds (a payout, refund, card load or authorization
     * beyond the available balance), the same record as on audit.ledger, keyed by transaction id so
     * risk-streams' lifecycle reads it beside the decisions and makes it the payment's final DECLINE.
     */
    public static final Topic<String, AuditRecord> LEDGER_REFUSALS = new Topic<>(
            "ledger.refusals", String.class, AuditRecord.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Duration.ofDays(30), Writer.LEDGER_SERVICE,
            "Approved payments the ledger refused for want of funds, keyed by transaction id.");

    public static final Topic<String, ReconciliationBreak> RECON_BREAKS = new Topic<>(
            "recon.breaks", String.class, ReconciliationBreak.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Duration.ofDays(400), Writer.RECONCILER,
            "Disagreements between decisions, ledger entries and provider reports, keyed by transaction id.");

    /**
     * Claims, answers and releases of idempotency keys, webhook event ids and per-transaction locks, which
     * every ingest instance folds in log order. Delete only, not compacted: a loser's late claim must never
     * replace the winner's completion. Kept longer than the longest record expiry (48 h) so an instance
     * that starts reads every record still live.
     */
    public static final Topic<String, IdempotencyRecord> INGEST_IDEMPOTENCY = new Topic<>(
            "ingest.idempotency", String.class, IdempotencyRecord.class, DEFAULT_PARTITIONS,
            CleanupPolicy.DELETE, Duration.ofHours(72), Writer.INGEST_SERVICE,
            "Idempotency claims and recorded answers of ingest-service, keyed by scope and key.");

    /**
     * Maker-checker: payouts above their merchant's threshold and batch card issuances waiting for a second
     * person's approval, the latest state of each under its approval id (compacted, kept forever, so pending
     * approvals survive restarts and every ingest instance sees the same ones). One partition: approvals are
     * few, and a decision is judged against every earlier record in one log order (the first decision wins).
     */
    public static final Topic<String, ApprovalRequest> INGEST_APPROVALS = new Topic<>(
            "ingest.approvals", String.class, ApprovalRequest.class, 1,
            CleanupPolicy.COMPACT, Topic.FOREVER, Writer.INGEST_SERVICE,
            "Requests waiting for a second person's approval and their decisions (payout sealed), keyed by approval id.");

    public static final Topic<String, AuditRecord> AUDIT_INGEST = auditTopic("audit.ingest", Writer.INGEST_SERVICE);
    public static final Topic<String, AuditRecord> AUDIT_RISK = auditTopic("audit.risk", Writer.RISK_STREAMS);
    public static final Topic<String, AuditRecord> AUDIT_LEDGER = auditTopic("audit.ledger", Writer.LEDGER_SERVICE);
    public static final Topic<String, AuditRecord> AUDIT_RECONCILER = auditTopic("audit.reconciler", Writer.RECONCILER);
    /** People signing in to the console and what they did there: sign-ins, failures, lockouts, enrolments. */
    public static final Topic<String, AuditRecord> AUDIT_CONSOLE = auditTopic("audit.console", Writer.CONSOLE);

    /**
     * The ingest door's API keys, the latest state of each under its key id (compacted, kept forever).
     * One partition: keys are few, and every ingest instance reads them all in one order.
     */
    public static final Topic<String, ApiKeyRecord> API_KEYS = new Topic<>(
            "ingest.api-keys", String.class, ApiKeyRecord.class, 1,
            CleanupPolicy.COMPACT, Topic.FOREVER, Writer.INGEST_SERVICE,
            "API keys of the ingest door (secrets encrypted), keyed by key id.");

    /**
     * People's console accounts (analysts, operators), the latest state of each under its username (compacted,
     * kept forever). One partition: accounts are few, and every console instance reads them all in one order.
     */
    public static final Topic<String, ConsoleUserRecord> CONSOLE_USERS = new Topic<>(
            "console.users", String.class, ConsoleUserRecord.class, 1,
            CleanupPolicy.COMPACT, Topic.FOREVER, Writer.CONSOLE,
            "Console accounts of people (password hashed, TOTP secret encrypted, recovery codes hashed), keyed by username.");

    /** The embedded schema store: one partition so every reader sees registrations in one order. */
    public static final Topic<String, String> SCHEMA_STORE = new Topic<>(
            "schemas.registry", String.class, String.class, 1,
            CleanupPolicy.COMPACT, Topic.FOREVER, Writer.SCHEMA_STORE,
            "Registered Avro schemas (JSON), for the embedded schema registry.");

    /** Every topic, in data-flow order. */
    public static final List<Topic<?, ?>> ALL = List.of(
            PAYMENT_REQUESTS, PROVIDER_EVENTS, PROVIDER_STATUS_QUERIES, PROVIDER_SUBMISSIONS,
            PROVIDER_SUBMISSION_RESULTS, PROVIDER_HEALTH, CARD_EVENTS, RISK_STOPS, RISK_LISTS, RISK_RULESETS, RISK_DECISIONS,
            CARD_AUTHORIZATIONS, RISK_REVIEWS, RISK_DEAD_LETTERS, RISK_SIGNALS, RISK_COMMANDS, RISK_BUDGET_REQUESTS, LEDGER_ENTRIES, LEDGER_REFUSALS,
            RECON_BREAKS, INGEST_IDEMPOTENCY, INGEST_APPROVALS,
            AUDIT_INGEST, AUDIT_RISK, AUDIT_LEDGER, AUDIT_RECONCILER, AUDIT_CONSOLE, API_KEYS, CONSOLE_USERS,
            SCHEMA_STORE);

    private Topics() {
    }

    private static Topic<String, AuditRecord> auditTopic(String name, Writer writer) {
        return new Topic<>(name, String.class, AuditRecord.class, 3, CleanupPolicy.DELETE, AUDIT_RETENTION,
                writer, "Audit trail of " + writer.name().toLowerCase().replace('_', '-') + ", masked PII only.");
    }

    /** The topics a component writes; used to check the one-writer rule. */
    public static List<Topic<?, ?>> writtenBy(Writer writer) {
        return ALL.stream().filter(topic -> topic.writer() == writer).toList();
    }
}
