package dev.ngao.sandbox.provider;

import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.NonBlank;
import dev.ngao.providers.ProviderKind;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Configuration of the provider sandbox, keys under {@code sandbox.}: where it listens, where the ingest
 * service takes webhooks, per provider ({@code sandbox.<id>.*}) the credentials it expects from Ngao's
 * adapters and the secret it signs webhooks with, and the run's seed and misbehaviour.
 *
 * <p>The credentials must match {@code providers.<id>.api.key/secret} of the caller, and the webhook secret
 * one of {@code ingest.webhooks.<provider>.secrets}: empty refuses every call (or sends no webhook).
 */
public final class SandboxConfig extends AbstractConfig {

    private static final String PREFIX = "sandbox.";
    private static final String MISBEHAVIOUR = PREFIX + "misbehaviour.";

    public static final String HTTP_HOST = PREFIX + "http.host";
    public static final String HTTP_PORT = PREFIX + "http.port";
    public static final String INGEST_URL = PREFIX + "ingest.url";
    public static final String SEED = PREFIX + "seed";
    public static final String SUCCESS_PERCENT = PREFIX + "success.percent";
    public static final String SETTLE_DELAY_MS = PREFIX + "settle.delay.ms";
    public static final String REPORTS_DIR = PREFIX + "reports.dir";
    public static final String WEBHOOK_DUPLICATE = MISBEHAVIOUR + "webhook.duplicate.percent";
    public static final String WEBHOOK_REORDER = MISBEHAVIOUR + "webhook.reorder.percent";
    public static final String WEBHOOK_DELAY = MISBEHAVIOUR + "webhook.delay.percent";
    public static final String WEBHOOK_DROP = MISBEHAVIOUR + "webhook.drop.percent";
    public static final String WEBHOOK_FORGE = MISBEHAVIOUR + "webhook.forge.percent";
    public static final String WEBHOOK_STALE = MISBEHAVIOUR + "webhook.stale.percent";
    public static final String WEBHOOK_DELAY_MS = MISBEHAVIOUR + "webhook.delay.ms";
    public static final String WEBHOOK_STALE_SECONDS = MISBEHAVIOUR + "webhook.stale.seconds";
    public static final String PENDING_UNTIL_QUERIED = MISBEHAVIOUR + "pending.until.queried.percent";
    public static final String REPORT_MISSING = MISBEHAVIOUR + "report.missing.percent";
    public static final String REPORT_EXTRA = MISBEHAVIOUR + "report.extra.percent";
    public static final String REPORT_DUPLICATED = MISBEHAVIOUR + "report.duplicated.percent";
    public static final String REPORT_AMOUNT = MISBEHAVIOUR + "report.amount.percent";
    public static final String REPORT_CURRENCY = MISBEHAVIOUR + "report.currency.percent";
    public static final String REPORT_STATUS = MISBEHAVIOUR + "report.status.percent";

    public static final ConfigDef DEFINITION = define(new ConfigDef());

    public SandboxConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    /** @throws dev.ngao.platform.config.InvalidConfigurationException naming the bad key and its variable */
    public static SandboxConfig fromEnvironment(Map<String, String> environment) {
        return EnvironmentConfig.load(DEFINITION, environment, SandboxConfig::new);
    }

    public static String key(ProviderKind kind, String suffix) {
        return PREFIX + kind.id() + "." + suffix;
    }

    private static ConfigDef define(ConfigDef definition) {
        definition
                .define(HTTP_HOST, ConfigDef.Type.STRING, "127.0.0.1", new NonBlank(), ConfigDef.Importance.MEDIUM,
                        "Address the sandbox's providers listen on.")
                .define(HTTP_PORT, ConfigDef.Type.INT, 8095, ConfigDef.Range.between(0, 65_535),
                        ConfigDef.Importance.MEDIUM, "Port of the sandbox (0 picks a free one); each provider under "
                                + "/<provider id>/, e.g. /mobile-money-hub/v1/payments.")
                .define(INGEST_URL, ConfigDef.Type.STRING, "http://127.0.0.1:8080", new NonBlank(),
                        ConfigDef.Importance.HIGH, "Base URL of the ingest service the webhooks are sent to.")
                .define(SEED, ConfigDef.Type.LONG, 42L, ConfigDef.Importance.MEDIUM,
                        "Seed of every draw (outcomes, references, misbehaviour): one seed, one run.")
                .define(SUCCESS_PERCENT, ConfigDef.Type.INT, 90, ConfigDef.Range.between(0, 100),
                        ConfigDef.Importance.LOW, "Payments in 100 that succeed; the others fail (CIPs expire).")
                .define(SETTLE_DELAY_MS, ConfigDef.Type.INT, 1_000, ConfigDef.Range.between(0, 86_400_000),
                        ConfigDef.Importance.LOW, "How long after acceptance a payment reaches its final status "
                                + "and its final webhook is sent.")
                .define(REPORTS_DIR, ConfigDef.Type.STRING, "data/sandbox/reports", new NonBlank(),
                        ConfigDef.Importance.LOW, "Where daily settlement reports are written as <provider>-<day>.csv.")
                .define(WEBHOOK_DELAY_MS, ConfigDef.Type.INT, 2_000, ConfigDef.Range.between(0, 3_600_000),
                        ConfigDef.Importance.LOW, "How long a delayed webhook is held back.")
                .define(WEBHOOK_STALE_SECONDS, ConfigDef.Type.INT, 7_200, ConfigDef.Range.between(1, 864_000),
                        ConfigDef.Importance.LOW, "How old a stale webhook's signed timestamp is: beyond the "
                                + "ingest service's tolerance.");
        percent(definition, WEBHOOK_DUPLICATE, "Genuine webhooks in 100 delivered twice (same event id and body).");
        percent(definition, WEBHOOK_REORDER, "Payments in 100 whose final webhook is sent before the PENDING one.");
        percent(definition, WEBHOOK_DELAY, "Genuine webhooks in 100 held back by the webhook delay.");
        percent(definition, WEBHOOK_DROP, "Genuine webhooks in 100 never sent.");
        percent(definition, WEBHOOK_FORGE, "Genuine webhooks in 100 accompanied by a tampered copy signed with a "
                + "wrong secret.");
        percent(definition, WEBHOOK_STALE, "Genuine webhooks in 100 replayed with a stale signed timestamp.");
        percent(definition, PENDING_UNTIL_QUERIED, "Payments in 100 that send no final webhook and stay PENDING "
                + "until a status query reaches them.");
        percent(definition, REPORT_MISSING, "Settled payments in 100 left out of the settlement report.");
        percent(definition, REPORT_EXTRA, "Settled payments in 100 followed by a report row for a payment that "
                + "never existed.");
        percent(definition, REPORT_DUPLICATED, "Settled payments in 100 written twice in the report.");
        percent(definition, REPORT_AMOUNT, "Settled payments in 100 reported with one minor unit more.");
        percent(definition, REPORT_CURRENCY, "Settled payments in 100 reported in another currency.");
        percent(definition, REPORT_STATUS, "Settled payments in 100 reported with another status.");
        for (ProviderKind kind : ProviderKind.values()) {
            String name = kind.id();
            definition
                    .define(key(kind, "api.key"), ConfigDef.Type.STRING, "ngao-" + name, new NonBlank(),
                            ConfigDef.Importance.HIGH, "The API key the simulated " + name + " expects (Ngao's "
                                    + "providers." + name + ".api.key).")
                    .define(key(kind, "api.secret"), ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH,
                            "The API secret the simulated " + name + " expects; empty refuses every call.")
                    .define(key(kind, "webhook.secret"), ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.HIGH,
                            "The secret the simulated " + name + " signs its webhooks with (one of the ingest "
                                    + "service's secrets for it); empty sends no webhook.");
        }
        return definition;
    }

    private static void percent(ConfigDef definition, String key, String meaning) {
        definition.define(key, ConfigDef.Type.INT, 0, ConfigDef.Range.between(0, 100), ConfigDef.Importance.LOW,
                meaning);
    }

    public String host() {
        return getString(HTTP_HOST);
    }

    public int port() {
        return getInt(HTTP_PORT);
    }

    public String ingestUrl() {
        return getString(INGEST_URL);
    }

    public int successPercent() {
        return getInt(SUCCESS_PERCENT);
    }

    public Duration settleDelay() {
        return Duration.ofMillis(getInt(SETTLE_DELAY_MS));
    }

    public Path reportsDirectory() {
        return Path.of(getString(REPORTS_DIR));
    }

    public String apiKey(ProviderKind kind) {
        return getString(key(kind, "api.key"));
    }

    public String apiSecret(ProviderKind kind) {
        return getPassword(key(kind, "api.secret")).value();
    }

    public String webhookSecret(ProviderKind kind) {
        return getPassword(key(kind, "webhook.secret")).value();
    }

    public Misbehaviour misbehaviour() {
        return new Misbehaviour(getLong(SEED), getInt(WEBHOOK_DUPLICATE), getInt(WEBHOOK_REORDER),
                getInt(WEBHOOK_DELAY), getInt(WEBHOOK_DROP), getInt(WEBHOOK_FORGE), getInt(WEBHOOK_STALE),
                Duration.ofMillis(getInt(WEBHOOK_DELAY_MS)), Duration.ofSeconds(getInt(WEBHOOK_STALE_SECONDS)),
                getInt(PENDING_UNTIL_QUERIED), getInt(REPORT_MISSING), getInt(REPORT_EXTRA), getInt(REPORT_DUPLICATED),
                getInt(REPORT_AMOUNT), getInt(REPORT_CURRENCY), getInt(REPORT_STATUS));
    }
}
