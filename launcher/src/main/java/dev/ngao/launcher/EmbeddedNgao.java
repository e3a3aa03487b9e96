package dev.ngao.launcher;

import dev.ngao.console.ConsoleConfig;
import dev.ngao.console.ConsoleService;
import dev.ngao.ingest.IngestConfig;
import dev.ngao.ingest.IngestService;
import dev.ngao.ingest.auth.AuthSettings;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.KafkaKeyStore;
import dev.ngao.ingest.auth.KeyAdministration;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.SecretCipher;
import dev.ngao.ingest.webhook.WebhookConfig;
import dev.ngao.ledger.LedgerConfig;
import dev.ngao.ledger.LedgerService;
import dev.ngao.notifier.NotifierConfig;
import dev.ngao.notifier.NotifierService;
import dev.ngao.platform.ManagedService;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.HangingTransactions;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.kafka.TopicAdmin;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.config.ProvidersConfig;
import dev.ngao.reconciler.ReconcilerConfig;
import dev.ngao.reconciler.ReconcilerService;
import dev.ngao.risk.RiskConfig;
import dev.ngao.risk.RiskStreamsService;
import dev.ngao.sandbox.provider.HttpWebhookTransport;
import dev.ngao.sandbox.provider.ProviderSandbox;
import dev.ngao.sandbox.provider.SandboxConfig;
import dev.ngao.schemas.registry.SchemaRegistryConfig;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The embedded default: a real KRaft broker in this JVM, the embedded schema store, then every service
 * in data-flow order (ledger, risk, reconciler and notifier first so nothing accepted waits on a consumer
 * that is not there, then the ingest door, then the analyst console that signs in against it). Stops in reverse order, the broker last.
 */
public final class EmbeddedNgao implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedNgao.class);
    static final String DEMO_KEY_ID = "demo";
    static final String DEMO_MERCHANT_ID = "merchant-demo";
    static final String DEMO_KEY_SECRET_FILE = "demo-api-key";
    /**
     * The analyst's key of the demo merchant, for the console: resolve reviews, read reports and payments, and
     * approve or reject the demo key's payouts and card batches that wait for a second person.
     */
    static final String DEMO_ANALYST_KEY_ID = "demo-analyst";
    static final String DEMO_ANALYST_SECRET_FILE = "demo-analyst-key";
    /**
     * The operators' key (sandbox, this machine only): every merchant's ledger, usage counters and deliveries,
     * the views across merchants, and settlement-report uploads.
     */
    static final String DEMO_OPERATOR_KEY_ID = "demo-operator";
    static final String DEMO_OPERATOR_MERCHANT_ID = "ngao-operations";
    static final String DEMO_OPERATOR_SECRET_FILE = "demo-operator-key";
    static final String MASTER_KEY_FILE = "keys-master-key";
    /** The demo key serves this machine only, for ten years: a demo, not a way in from the network. */
    private static final List<CidrBlock> DEMO_KEY_NETWORKS = List.of(CidrBlock.parse("127.0.0.0/8"),
            CidrBlock.parse("::1/128"));
    private static final Duration DEMO_KEY_VALIDITY = Duration.ofDays(3_650);

    private final LauncherConfig config;
    private final Map<String, String> environment;
    /** The broker this run starts, or null when the services run on a cluster that runs elsewhere. */
    private final EmbeddedKafkaBroker broker;
    private final String bootstrapServers;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final String demoKeySecret;
    private final String demoAnalystSecret;
    private final String demoOperatorSecret;
    /** Provider kinds to the ingest service's names for their webhooks. */
    private static final Map<ProviderKind, WebhookConfig.Provider> WEBHOOK_PROVIDERS = Map.of(
            ProviderKind.MOBILE_MONEY_HUB, WebhookConfig.Provider.MOBILE_MONEY,
            ProviderKind.PAGOEFECTIVO, WebhookConfig.Provider.PAGOEFECTIVO,
            ProviderKind.CARD_NETWORK, WebhookConfig.Provider.CARD_NETWORK);
    private static final Duration DAILY_REPORT_CHECK = Duration.ofMinutes(1);

    private IngestService ingest;
    private ProviderSandbox sandbox;
    private ReconcilerService reconciler;
    private int sandboxPort;
    /** Where the sandbox sends webhooks; set once the ingest service listens (nothing is submitted before). */
    private volatile String ingestUrl = "http://127.0.0.1:0";
    private LedgerService ledger;
    private NotifierService notifier;
    private ConsoleService console;
    private Duration startupTime;

    /**
     * @param config      the launcher's own settings
     * @param environment the process environment; keys set there win over the embedded defaults
     */
    public EmbeddedNgao(LauncherConfig config, Map<String, String> environment) {
        this(config, environment, new EmbeddedKafkaBroker(config.dataDirectory().resolve("kafka"), config.kafkaPort(),
                config.controllerPort(), config.brokerResources()), null);
    }

    private EmbeddedNgao(LauncherConfig config, Map<String, String> environment, EmbeddedKafkaBroker broker,
                         String clusterBootstrapServers) {
        this.config = config;
        LocalSecrets secrets = new LocalSecrets(config.dataDirectory());
        this.demoKeySecret = secrets.getOrCreate(DEMO_KEY_SECRET_FILE, 32);
        this.demoAnalystSecret = secrets.getOrCreate(DEMO_ANALYST_SECRET_FILE, 32);
        this.demoOperatorSecret = secrets.getOrCreate(DEMO_OPERATOR_SECRET_FILE, 32);
        this.broker = broker;
        this.bootstrapServers = broker != null ? broker.bootstrapServers() : clusterBootstrapServers;
        this.environment = embeddedEnvironment(environment, secrets);
    }

    /**
     * Every service of the embedded mode in this JVM, with its data under the data directory, but on a Kafka
     * cluster that runs elsewhere (no broker is started or stopped here): the fault suite's broker faults kill
     * and restart brokers under services that keep running.
     */
    public static EmbeddedNgao onCluster(LauncherConfig config, Map<String, String> environment,
                                         String bootstrapServers) {
        return new EmbeddedNgao(config, environment, null, bootstrapServers);
    }

    private Map<String, String> embeddedEnvironment(Map<String, String> given, LocalSecrets secrets) {
        Map<String, String> defaults = new HashMap<>();
        defaults.put(EnvironmentConfig.variableName(KafkaSettings.BOOTSTRAP_SERVERS), bootstrapServers);
        defaults.put(EnvironmentConfig.variableName(KafkaSettings.SCHEMA_REGISTRY_URL), SchemaRegistryConfig.EMBEDDED);
        defaults.put(EnvironmentConfig.variableName(RiskConfig.STATE_DIR),
                config.dataDirectory().resolve("risk-streams").toString());
        // Every service shares this process: risk-streams' RocksDB gets less than in a process of its own.
        defaults.put(EnvironmentConfig.variableName(RiskConfig.ROCKSDB_MEMORY_BYTES),
                Long.toString(config.riskRocksDbMemoryBytes()));
        defaults.put(EnvironmentConfig.variableName(ReconcilerConfig.STATE_DIR),
                config.dataDirectory().resolve("reconciler").toString());
        // The provider sandbox plays every provider: its reports land where the reconciler's daily run reads.
        Path reports = config.dataDirectory().resolve("sandbox").resolve("reports");
        defaults.put(EnvironmentConfig.variableName(SandboxConfig.REPORTS_DIR), reports.toString());
        defaults.put(EnvironmentConfig.variableName(ReconcilerConfig.REPORT_INBOX_DIR), reports.toString());
        for (ProviderKind kind : ProviderKind.values()) {
            // One pair of secrets per provider, made on first run, given to both sides of each contract.
            String apiSecret = secrets.getOrCreate("provider-" + kind.id() + "-api-secret", 32);
            String webhookSecret = secrets.getOrCreate("provider-" + kind.id() + "-webhook-secret", 32);
            defaults.put(EnvironmentConfig.variableName(ProvidersConfig.key(kind, "api.secret")), apiSecret);
            defaults.put(EnvironmentConfig.variableName(SandboxConfig.key(kind, "api.secret")), apiSecret);
            defaults.put(EnvironmentConfig.variableName(SandboxConfig.key(kind, "webhook.secret")), webhookSecret);
            defaults.put(EnvironmentConfig.variableName(WEBHOOK_PROVIDERS.get(kind).secretsKey()), webhookSecret);
        }
        defaults.put(EnvironmentConfig.variableName(LedgerConfig.DATA_DIR),
                config.dataDirectory().resolve("ledger").toString());
        // No merchant endpoint by default: final statuses are logged as NO_ENDPOINT until
        // NGAO_NOTIFIER_MERCHANTS and NGAO_NOTIFIER_MERCHANT_SECRETS name one.
        defaults.put(EnvironmentConfig.variableName(NotifierConfig.DATA_DIR),
                config.dataDirectory().resolve("notifier").toString());
        // Ingest's folds of its topics (idempotency claims), emptied and rebuilt at every start.
        defaults.put(EnvironmentConfig.variableName(IngestConfig.STATE_DIR),
                config.dataDirectory().resolve("ingest").toString());
        defaults.put(EnvironmentConfig.variableName(IngestConfig.PII_PEPPER), secrets.getOrCreate("pii-pepper", 32));
        // One master key for every service that verifies API keys: they all read the same key topic.
        String masterKey = secrets.getOrCreate(MASTER_KEY_FILE, 32);
        for (String key : List.of(AuthSettings.MASTER_KEY, LedgerConfig.KEYS_MASTER_KEY, RiskConfig.KEYS_MASTER_KEY,
                ReconcilerConfig.KEYS_MASTER_KEY, NotifierConfig.KEYS_MASTER_KEY, ConsoleConfig.KEYS_MASTER_KEY)) {
            defaults.put(EnvironmentConfig.variableName(key), masterKey);
        }
        Map<String, String> merged = new HashMap<>(defaults);
        merged.putAll(given);
        // The run's cluster (its embedded broker, or the one it was given) is the only one, whatever the
        // environment says.
        merged.put(EnvironmentConfig.variableName(KafkaSettings.BOOTSTRAP_SERVERS), bootstrapServers);
        return merged;
    }

    /** Starts the broker and every service; returns once the ingest door serves. */
    public void start() throws Exception {
        long startNanos = System.nanoTime();
        if (broker != null) {
            broker.start();
            started.push(broker);
        }
        KafkaSettings settings = kafkaSettings();
        try (Admin admin = Admin.create(KafkaClients.admin(settings, "ngao-embedded-admin"))) {
            TopicAdmin.ensureTopics(admin, Topics.ALL, settings.replicationFactor());
            if (broker != null) {
                // This run owns the broker and nothing writes yet: a transaction still open now, which its
                // coordinator no longer has in progress, was left by a kill and would stall every reader at it.
                HangingTransactions.abortAll(admin, admin.listTopics().names().get(60, TimeUnit.SECONDS));
            }
        }

        startSandbox();
        // The demo keys first: every service reads the key topic to its end before it serves.
        IngestConfig ingestConfig = IngestConfig.fromEnvironment(environment);
        ensureDemoKeys(ingestConfig);
        ledger = new LedgerService(LedgerConfig.fromEnvironment(environment), connect());
        startService(ledger);
        RiskStreamsService risk = new RiskStreamsService(RiskConfig.fromEnvironment(environment),
                connect());
        startService(risk);
        reconciler = new ReconcilerService(ReconcilerConfig.fromEnvironment(environment), connect());
        startService(reconciler);
        notifier = new NotifierService(NotifierConfig.fromEnvironment(environment), connect());
        startService(notifier);
        ingest = new IngestService(ingestConfig, connect());
        startService(ingest);
        ingestUrl = "http://127.0.0.1:" + ingest.httpPort();
        // The console signs analysts in against this run's ingest door, wherever its port ended up.
        environment.putIfAbsent(EnvironmentConfig.variableName(ConsoleConfig.INGEST_URL), ingestUrl);
        console = new ConsoleService(ConsoleConfig.fromEnvironment(environment), connect());
        startService(console);
        startupTime = Duration.ofNanos(System.nanoTime() - startNanos);
        LOG.info("Ngao ready in {} ms", startupTime.toMillis());
    }

    /**
     * The provider sandbox, first: the reconciler's adapters are pointed at the port it got (unless the
     * environment names other providers), and its webhooks go to the ingest service once that listens.
     */
    private void startSandbox() {
        SandboxConfig sandboxConfig = SandboxConfig.fromEnvironment(environment);
        ProviderSandbox providers = new ProviderSandbox(sandboxConfig, Clock.systemUTC(),
                new HttpWebhookTransport(() -> ingestUrl), sent -> { });
        sandboxPort = providers.start();
        started.push(providers);
        providers.startDailyReports(DAILY_REPORT_CHECK);
        for (ProviderKind kind : ProviderKind.values()) {
            environment.putIfAbsent(EnvironmentConfig.variableName(ProvidersConfig.key(kind, "base.url")),
                    sandboxBaseUrl() + "/" + kind.id());
        }
        sandbox = providers;
        LOG.info("Provider sandbox on {}", sandboxBaseUrl());
    }

    /**
     * The demo keys (sandbox, loopback only) are made in the key store on first run with their secrets kept in
     * data/secrets; later runs find them there, as does {@code ngao keys list}. The demo key sends payments
     * and reads its merchant's ledger, usage and deliveries; the demo analyst key signs in to the console; the
     * demo operator key reads across merchants, uploads settlement reports and sets and lifts emergency stops.
     */
    private void ensureDemoKeys(IngestConfig ingestConfig) throws Exception {
        try (KafkaKeyStore store = new KafkaKeyStore(connect(), new SecretCipher(ingestConfig.auth().masterKey(),
                new SecureRandom()), "ngao-embedded-keys").start()) {
            KeyAdministration keys = new KeyAdministration(store, Clock.systemUTC(), new SecureRandom());
            ensureKey(store, keys, DEMO_KEY_ID, DEMO_MERCHANT_ID, Set.of(Scopes.PAYMENTS_WRITE, Scopes.PAYMENTS_READ,
                    Scopes.LEDGER_READ, Scopes.USAGE_READ, Scopes.DELIVERIES_READ), demoKeySecret);
            ensureKey(store, keys, DEMO_ANALYST_KEY_ID, DEMO_MERCHANT_ID,
                    Set.of(Scopes.REVIEWS_RESOLVE, Scopes.REPORTS_READ, Scopes.PAYMENTS_READ, Scopes.APPROVALS_APPROVE),
                    demoAnalystSecret);
            ensureKey(store, keys, DEMO_OPERATOR_KEY_ID, DEMO_OPERATOR_MERCHANT_ID,
                    Set.of(Scopes.OPERATOR_READ, Scopes.REPORTS_UPLOAD, Scopes.OPERATOR_STOP), demoOperatorSecret);
        }
    }

    private static void ensureKey(KafkaKeyStore store, KeyAdministration keys, String keyId, String merchantId,
                                  Set<String> scopes, String secret) throws Exception {
        if (store.find(keyId).isPresent()) {
            return;
        }
        keys.create(new KeyAdministration.NewKey(keyId, merchantId, Environment.SANDBOX, scopes,
                DEMO_KEY_NETWORKS, Set.of(), DEMO_KEY_VALIDITY), secret);
        LOG.info("Created the demo API key {} for {}", keyId, merchantId);
    }

    /** Each service gets its own clients and registry client, as it would in a process of its own. */
    private KafkaContext connect() {
        KafkaContext context = KafkaContext.connect(kafkaSettings());
        started.push(context);
        return context;
    }

    private void startService(ManagedService service) throws Exception {
        LOG.info("Starting {}", service.name());
        service.start();
        started.push(service);
    }

    public Duration startupTime() {
        return startupTime;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String ingestBaseUrl() {
        return "http://127.0.0.1:" + ingest.httpPort();
    }

    /** The sandbox's base URL; each provider under {@code /<provider id>}. */
    public String sandboxBaseUrl() {
        return "http://127.0.0.1:" + sandboxPort;
    }

    /** The running reconciler, for on-demand runs inside this process. */
    public ReconcilerService reconciler() {
        return reconciler;
    }

    /** The running provider sandbox, for tests and the demo. */
    public ProviderSandbox sandbox() {
        return sandbox;
    }

    public String ledgerBaseUrl() {
        return "http://127.0.0.1:" + ledger.httpPort();
    }

    /** The notifier's delivery log API. */
    public String notifierBaseUrl() {
        return "http://127.0.0.1:" + notifier.httpPort();
    }

    /** The analyst console. */
    public String consoleBaseUrl() {
        return "http://127.0.0.1:" + console.httpPort();
    }

    public String demoAnalystKeyId() {
        return DEMO_ANALYST_KEY_ID;
    }

    public String demoAnalystSecret() {
        return demoAnalystSecret;
    }

    public String demoOperatorKeyId() {
        return DEMO_OPERATOR_KEY_ID;
    }

    public String demoOperatorSecret() {
        return demoOperatorSecret;
    }

    public String demoKeyId() {
        return DEMO_KEY_ID;
    }

    public String demoKeySecret() {
        return demoKeySecret;
    }

    public String demoMerchantId() {
        return DEMO_MERCHANT_ID;
    }

    /** Settings for extra clients of this run (the demo monitor, tests). */
    public KafkaSettings kafkaSettings() {
        return new KafkaSettings(EnvironmentConfig.select(KafkaSettings.DEFINITION, environment));
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", component.getClass().getSimpleName(), e.toString());
            }
        }
        LOG.info("Ngao stopped");
    }
}
