package dev.ngao.ingest;

import dev.ngao.ingest.approval.PayoutThresholds;
import dev.ngao.ingest.auth.AuthSettings;
import dev.ngao.platform.auth.Environment;
import dev.ngao.ingest.card.CardValidity;
import dev.ngao.ingest.tls.TlsSettings;
import dev.ngao.ingest.webhook.WebhookConfig;
import dev.ngao.ingest.webhook.WebhookEndpoint;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.config.NonBlank;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Configuration of ingest-service, read from {@code NGAO_INGEST_*} variables plus the shared Kafka keys. */
public final class IngestConfig extends AbstractConfig {

    /** Every key of this service starts so; its variables start with NGAO_INGEST_. */
    private static final String PREFIX = "ingest.";

    public static final String HTTP_HOST = PREFIX + "http.host";
    public static final String HTTP_PORT = PREFIX + "http.port";
    public static final String ENVIRONMENT = PREFIX + "environment";
    public static final String PII_PEPPER = PREFIX + "pii.pepper";
    public static final String BODY_LIMIT_BYTES = PREFIX + "body.limit.bytes";
    public static final String KAFKA_TIMEOUT_MS = PREFIX + "kafka.timeout.ms";
    public static final String STATE_DIR = PREFIX + "state.dir";
    public static final String STATE_MEMORY_BYTES = PREFIX + "state.memory.bytes";
    public static final String STATUS_VIEW_MAX_ENTRIES = PREFIX + "status.view.max.entries";
    public static final String IDEMPOTENCY_EXPIRY_MS = PREFIX + "idempotency.expiry.ms";
    public static final String IDEMPOTENCY_CLAIM_TIMEOUT_MS = PREFIX + "idempotency.claim.timeout.ms";
    public static final String IDEMPOTENCY_WAIT_MS = PREFIX + "idempotency.wait.ms";
    public static final String IDEMPOTENCY_MAX_ENTRIES = PREFIX + "idempotency.max.entries";
    public static final String WEBHOOKS_STATE_MAX_ENTRIES = PREFIX + "webhooks.state.max.entries";
    public static final String WEBHOOKS_SUBMITTED_MAX_ENTRIES = PREFIX + "webhooks.submitted.max.entries";
    public static final String CARD_AUTHORIZATION_DEADLINE_MS = PREFIX + "card.authorization.deadline.ms";
    public static final String CARD_AUTHORIZATION_TIMEOUT_OUTCOME = PREFIX + "card.authorization.timeout.outcome";
    public static final String CARD_DIRECTORY_MAX_ENTRIES = PREFIX + "card.directory.max.entries";
    public static final String CARD_VALIDITY_MONTHS = PREFIX + "card.validity.months";
    public static final String APPROVALS_PAYOUT_THRESHOLDS = PREFIX + "approvals.payout.thresholds";
    public static final String APPROVALS_TTL_MS = PREFIX + "approvals.ttl.ms";
    public static final String APPROVALS_MAX_PENDING_PER_MERCHANT = PREFIX + "approvals.max.pending.per.merchant";
    public static final String APPROVALS_CARD_BATCH_MAX_SIZE = PREFIX + "approvals.card.batch.max.size";

    public static final String SANDBOX = "sandbox";
    public static final String LIVE = "live";
    public static final int MINIMUM_PEPPER_BYTES = 16;

    /** API keys live in their store (KafkaKeyStore); authentication, TLS and webhooks define their own keys. */
    public static final ConfigDef DEFINITION = WebhookConfig.define(TlsSettings.define(AuthSettings.define(
            KafkaSettings.define(new ConfigDef()
            .define(HTTP_HOST, ConfigDef.Type.STRING, "127.0.0.1", new NonBlank(), ConfigDef.Importance.HIGH,
                    "Address the HTTP API listens on; 0.0.0.0 for every interface.")
            .define(HTTP_PORT, ConfigDef.Type.INT, 8080, ConfigDef.Range.between(0, 65_535),
                    ConfigDef.Importance.HIGH, "Port of the HTTP API; 0 takes any free port.")
            .define(ENVIRONMENT, ConfigDef.Type.STRING, SANDBOX, ConfigDef.ValidString.in(SANDBOX, LIVE),
                    ConfigDef.Importance.HIGH, "Which environment this door serves: sandbox or live.")
            .define(PII_PEPPER, ConfigDef.Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, new PepperValidator(),
                    ConfigDef.Importance.HIGH, "Secret pepper of the keyed hash that turns MSISDNs into "
                            + "account ids; at least " + MINIMUM_PEPPER_BYTES + " bytes. Changing it changes every "
                            + "wallet's account id, so its counters start afresh.")
            .define(BODY_LIMIT_BYTES, ConfigDef.Type.INT, 65_536, ConfigDef.Range.between(1_024, 10_485_760),
                    ConfigDef.Importance.MEDIUM, "Largest request body accepted; larger ones get 413.")
            .define(KAFKA_TIMEOUT_MS, ConfigDef.Type.LONG, 10_000L, ConfigDef.Range.between(100, 120_000),
                    ConfigDef.Importance.MEDIUM,
                    "How long a request waits for Kafka to acknowledge its event before it is answered 503.")
            .define(STATE_DIR, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
                    "Directory of the RocksDB stores that fold Kafka topics off the heap (idempotency claims, "
                            + "status views, submitted transactions, card directory), each in a subdirectory "
                            + "emptied at every start, since they are rebuilt from the topics. Empty: a fresh "
                            + "directory under java.io.tmpdir, deleted on stop. Size its volume for "
                            + "ingest.idempotency.max.entries.")
            .define(STATE_MEMORY_BYTES, ConfigDef.Type.LONG, 33_554_432L,
                    ConfigDef.Range.between(4_194_304L, 17_179_869_184L), ConfigDef.Importance.LOW,
                    "Native memory of those stores together: one block cache, half of it at most for "
                            + "memtables (unflushed writes).")
            .define(STATUS_VIEW_MAX_ENTRIES, ConfigDef.Type.INT, 1_000_000,
                    ConfigDef.Range.between(1, 50_000_000), ConfigDef.Importance.LOW,
                    "Most transactions the status view keeps (on disk, in ingest.state.dir); the oldest are "
                            + "evicted beyond it.")
            .define(IDEMPOTENCY_EXPIRY_MS, ConfigDef.Type.LONG, 172_800_000L,
                    ConfigDef.Range.between(86_400_000L, 172_800_000L), ConfigDef.Importance.MEDIUM,
                    "How long the first answer to an Idempotency-Key (and a webhook event id) is replayed; after "
                            + "it the key is free again. 24 to 48 hours; ingest.idempotency keeps records 72 hours.")
            .define(IDEMPOTENCY_CLAIM_TIMEOUT_MS, ConfigDef.Type.LONG, 180_000L,
                    ConfigDef.Range.between(10_000L, 3_600_000L), ConfigDef.Importance.LOW,
                    "How long a claimed key waits for its answer before a retry may claim it again (the winner "
                            + "died). Must exceed twice ingest.kafka.timeout.ms; above the producer's delivery "
                            + "timeout (120 s) a write whose acknowledgement came too late is still recorded.")
            .define(IDEMPOTENCY_WAIT_MS, ConfigDef.Type.LONG, 5_000L, ConfigDef.Range.between(0L, 60_000L),
                    ConfigDef.Importance.LOW, "How long a retry of a request still in progress waits for its "
                            + "answer to replay it before it is answered 409; another request under that key "
                            + "waits as long for the first's outcome (a refusal frees the key) before 422.")
            .define(IDEMPOTENCY_MAX_ENTRIES, ConfigDef.Type.INT, 200_000_000,
                    ConfigDef.Range.between(1_000, 2_000_000_000), ConfigDef.Importance.LOW,
                    "Most keys the claim table holds (on disk, in ingest.state.dir: about 300 bytes each); "
                            + "size it for the keys of one expiry period. The default holds 48 hours at 1,000 "
                            + "keys a second. When full of live keys, new keys are answered 503.")
            .define(WEBHOOKS_STATE_MAX_ENTRIES, ConfigDef.Type.INT, 1_000_000,
                    ConfigDef.Range.between(1_000, 50_000_000), ConfigDef.Importance.LOW,
                    "Most transactions whose provider status the view keeps (in ingest.state.dir); the oldest are "
                            + "evicted and a later status for them is judged as the first one.")
            .define(WEBHOOKS_SUBMITTED_MAX_ENTRIES, ConfigDef.Type.INT, 20_000_000,
                    ConfigDef.Range.between(1_000, 200_000_000), ConfigDef.Importance.MEDIUM,
                    "Most transaction ids (a 64-bit fingerprint each, on disk in ingest.state.dir) the set of "
                            + "submitted transactions holds, read "
                            + "from payments.requests and providers.events; a webhook must name one of them. Size "
                            + "it for their retention (30 days): past it the set is incomplete, and a webhook for "
                            + "a transaction not in it is let through audited as unverifiable until a restart.")
            .define(CARD_AUTHORIZATION_DEADLINE_MS, ConfigDef.Type.LONG, 2_000L, ConfigDef.Range.between(50, 30_000),
                    ConfigDef.Importance.HIGH, "How long a card authorization waits for risk-streams' decision, "
                            + "from the valid request to the answer; past it the timeout outcome applies.")
            .define(CARD_AUTHORIZATION_TIMEOUT_OUTCOME, ConfigDef.Type.STRING, "DECLINE",
                    ConfigDef.ValidString.in("DECLINE", "APPROVE"), ConfigDef.Importance.HIGH,
                    "What a card authorization is answered when no decision came within the deadline; the answer "
                            + "says decidedBy timeout-default and is recorded with the other answers to the network.")
            .define(CARD_DIRECTORY_MAX_ENTRIES, ConfigDef.Type.INT, 1_000_000,
                    ConfigDef.Range.between(1, 50_000_000), ConfigDef.Importance.LOW,
                    "Most cards the card directory keeps (in ingest.state.dir); the cards issued longest ago are "
                            + "evicted beyond it and answer 404.")
            .define(CARD_VALIDITY_MONTHS, ConfigDef.Type.INT, 36,
                    ConfigDef.Range.between(CardValidity.MINIMUM_MONTHS, CardValidity.MAXIMUM_MONTHS),
                    ConfigDef.Importance.MEDIUM, "Months an issued card is valid, counted from its issue month: "
                            + "it expires at the end of the last one, UTC (issued in January 2026 with 36, it "
                            + "expires at the end of January 2029).")
            .define(APPROVALS_PAYOUT_THRESHOLDS, ConfigDef.Type.LIST, "", new ThresholdsValidator(),
                    ConfigDef.Importance.HIGH, "Maker-checker: payouts above these amounts wait for a second key's "
                            + "approval instead of going to payments.requests. Comma-separated "
                            + "merchant:CURRENCY:amountMinor entries, * as the merchant for every merchant without "
                            + "an entry of its own in that currency, e.g. *:KES:10000000,merchant-demo:KES:500000. "
                            + "A currency no entry names is never held; empty holds no payout.")
            .define(APPROVALS_TTL_MS, ConfigDef.Type.LONG, 86_400_000L,
                    ConfigDef.Range.between(60_000L, 2_592_000_000L), ConfigDef.Importance.MEDIUM,
                    "How long a payout or card batch waits for its approval; past it, it is EXPIRED and can no "
                            + "longer be approved (1 minute to 30 days).")
            .define(APPROVALS_MAX_PENDING_PER_MERCHANT, ConfigDef.Type.INT, 1_000, ConfigDef.Range.between(1, 100_000),
                    ConfigDef.Importance.LOW, "Most approvals one merchant may have pending; a payout or batch "
                            + "beyond them is refused with 429 approvals-limit-reached.")
            .define(APPROVALS_CARD_BATCH_MAX_SIZE, ConfigDef.Type.INT, 100, ConfigDef.Range.between(1, 1_000),
                    ConfigDef.Importance.LOW, "Most cards one batch issuance (POST /v1/cards/batches) may ask for; "
                            + "the body limit bounds it too.")))));

    private final AuthSettings auth;
    private final TlsSettings tls;

    public IngestConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
        this.auth = new AuthSettings(this);
        this.tls = new TlsSettings(this);
        if (getLong(IDEMPOTENCY_CLAIM_TIMEOUT_MS) <= 2 * getLong(KAFKA_TIMEOUT_MS)) {
            // A live winner writes its event and then its answer, each within the Kafka timeout.
            throw new ConfigException(IDEMPOTENCY_CLAIM_TIMEOUT_MS, getLong(IDEMPOTENCY_CLAIM_TIMEOUT_MS),
                    "must exceed twice the Kafka timeout (" + getLong(KAFKA_TIMEOUT_MS) + " ms)");
        }
    }

    public static IngestConfig fromEnvironment(Map<String, String> environment) {
        return EnvironmentConfig.load(DEFINITION, environment, IngestConfig::new);
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public String environment() {
        return getString(ENVIRONMENT);
    }

    /** The environment of this door, which every key used on it must share. */
    public Environment doorEnvironment() {
        return Environment.parse(environment());
    }

    public AuthSettings auth() {
        return auth;
    }

    public TlsSettings tls() {
        return tls;
    }

    public byte[] piiPepper() {
        return getPassword(PII_PEPPER).value().getBytes(StandardCharsets.UTF_8);
    }

    public int bodyLimitBytes() {
        return getInt(BODY_LIMIT_BYTES);
    }

    public long kafkaTimeoutMs() {
        return getLong(KAFKA_TIMEOUT_MS);
    }

    /** Where the state stores live; empty for a temporary directory deleted on stop. */
    public Optional<Path> stateDirectory() {
        String directory = getString(STATE_DIR).strip();
        return directory.isEmpty() ? Optional.empty() : Optional.of(Path.of(directory));
    }

    public long stateMemoryBytes() {
        return getLong(STATE_MEMORY_BYTES);
    }

    public int statusViewMaxEntries() {
        return getInt(STATUS_VIEW_MAX_ENTRIES);
    }

    public long cardAuthorizationDeadlineMs() {
        return getLong(CARD_AUTHORIZATION_DEADLINE_MS);
    }

    /** APPROVE or DECLINE, the names of {@code dev.ngao.events.Outcome} constants. */
    public String cardAuthorizationTimeoutOutcome() {
        return getString(CARD_AUTHORIZATION_TIMEOUT_OUTCOME);
    }

    public int cardDirectoryMaxEntries() {
        return getInt(CARD_DIRECTORY_MAX_ENTRIES);
    }

    public CardValidity cardValidity() {
        return new CardValidity(getInt(CARD_VALIDITY_MONTHS));
    }

    public Duration idempotencyExpiry() {
        return Duration.ofMillis(getLong(IDEMPOTENCY_EXPIRY_MS));
    }

    public Duration idempotencyClaimTimeout() {
        return Duration.ofMillis(getLong(IDEMPOTENCY_CLAIM_TIMEOUT_MS));
    }

    public Duration idempotencyWait() {
        return Duration.ofMillis(getLong(IDEMPOTENCY_WAIT_MS));
    }

    public int idempotencyMaxEntries() {
        return getInt(IDEMPOTENCY_MAX_ENTRIES);
    }

    public int webhooksStateMaxEntries() {
        return getInt(WEBHOOKS_STATE_MAX_ENTRIES);
    }

    public int webhooksSubmittedMaxEntries() {
        return getInt(WEBHOOKS_SUBMITTED_MAX_ENTRIES);
    }

    public PayoutThresholds payoutThresholds() {
        return PayoutThresholds.parse(getList(APPROVALS_PAYOUT_THRESHOLDS));
    }

    public Duration approvalsTimeToLive() {
        return Duration.ofMillis(getLong(APPROVALS_TTL_MS));
    }

    public int approvalsMaxPendingPerMerchant() {
        return getInt(APPROVALS_MAX_PENDING_PER_MERCHANT);
    }

    public int approvalsCardBatchMaxSize() {
        return getInt(APPROVALS_CARD_BATCH_MAX_SIZE);
    }

    /** The endpoints of the three providers; one with no secret refuses every call. */
    public List<WebhookEndpoint> webhookEndpoints() {
        return WebhookConfig.endpoints(this);
    }

    private static final class ThresholdsValidator implements ConfigDef.Validator {
        @Override
        @SuppressWarnings("unchecked")
        public void ensureValid(String name, Object value) {
            try {
                PayoutThresholds.parse(value == null ? List.of() : (List<String>) value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "merchant:CURRENCY:amountMinor, ...";
        }
    }

    private static final class PepperValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return; // absence is reported by ConfigDef as a missing required key
            }
            if (((Password) value).value().getBytes(StandardCharsets.UTF_8).length < MINIMUM_PEPPER_BYTES) {
                throw new ConfigException(name, value, "must have at least " + MINIMUM_PEPPER_BYTES + " bytes");
            }
        }

        @Override
        public String toString() {
            return "at least " + MINIMUM_PEPPER_BYTES + " bytes";
        }
    }
}
