package dev.ngao.launcher;

import dev.ngao.console.ConsoleConfig;
import dev.ngao.console.ConsoleService;
import dev.ngao.ingest.IngestConfig;
import dev.ngao.ingest.IngestService;
import dev.ngao.launcher.bench.IngestBenchmark;
import dev.ngao.launcher.cli.ExplainCommand;
import dev.ngao.launcher.cli.TailCommand;
import dev.ngao.ledger.LedgerConfig;
import dev.ngao.ledger.LedgerService;
import dev.ngao.notifier.NotifierConfig;
import dev.ngao.notifier.NotifierService;
import dev.ngao.ledger.LedgerVerify;
import dev.ngao.platform.ManagedService;
import dev.ngao.platform.cli.CallerFiles;
import dev.ngao.platform.cli.ExitStatus;
import dev.ngao.platform.cli.OneLine;
import dev.ngao.platform.config.ConfigDocs;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.InvalidConfigurationException;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.reconciler.ReconcileCommand;
import dev.ngao.reconciler.ReconcilerConfig;
import dev.ngao.reconciler.ReconcilerService;
import dev.ngao.risk.RiskConfig;
import dev.ngao.risk.RiskStreamsService;
import dev.ngao.risk.backtest.Backtest;
import dev.ngao.schemas.registry.SchemaRegistryException;
import dev.ngao.sandbox.provider.SandboxConfig;
import dev.ngao.schemas.topics.Topics;
import dev.ngao.schemas.topics.TopicsTable;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigDef;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Ngao's command line. {@code embedded [--demo]} runs everything in this JVM on an embedded broker;
 * {@code service <name>} runs one service against the cluster the environment names;
 * {@code config-docs} prints the configuration tables of docs/configuration.md; {@code topics-docs} the README's
 * topics table; {@code keys ...} manages API keys;
 * {@code users ...} manages people's console accounts;
 * {@code sign ...} prints the signature headers of one request.
 */
public final class Ngao {

    static final int EXIT_USAGE = ExitStatus.USAGE;
    static final int EXIT_CONFIG = ExitStatus.CONFIG;
    static final int EXIT_IO = ExitStatus.IO;
    static final int EXIT_SERVICE_FAILED = 1;

    private Ngao() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length == 0) {
            usage(out);
            System.exit(EXIT_USAGE);
        }
        try {
            List<String> arguments = List.of(args).subList(1, args.length);
            Map<String, String> environment = System.getenv();
            switch (args[0]) {
                case "embedded" -> EmbeddedRun.run(LauncherConfig.fromEnvironment(environment), environment,
                        demoFlag(arguments), out);
                case "service" -> runService(args.length > 1 ? args[1] : "", environment);
                case "config-docs" -> out.print(configDocs());
                case "topics-docs" -> out.print(TopicsTable.markdown(Topics.ALL));
                case "bench-ingest" -> ToolMain.run("bench-ingest", arguments.toArray(String[]::new),
                        settings -> IngestBenchmark.run(settings, out));
                case "keys" -> tool(() -> KeysCommand.run(arguments, environment, out));
                case "users" -> tool(() -> UsersCommand.run(arguments, environment, out));
                case "sign" -> tool(() -> SignCommand.run(arguments, CallerFiles.of(environment), out));
                case "tail" -> tool(() -> AnalystCommands.tail(arguments, environment, out));
                case "explain" -> tool(() -> System.exit(AnalystCommands.explain(arguments, environment, out)));
                case "backtest" -> System.exit(Backtest.run(arguments.toArray(String[]::new), environment, out, System.err));
                case "reconcile" -> System.exit(ReconcileCommand.run(arguments.toArray(String[]::new), environment,
                        out, System.err));
                case "ledger-verify" -> System.exit(LedgerVerify.run(arguments, environment, out, System.err));
                default -> {
                    System.err.println("ngao: unknown command " + args[0]);
                    usage(out);
                    System.exit(EXIT_USAGE);
                }
            }
        } catch (InvalidConfigurationException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            System.exit(EXIT_CONFIG);
        } catch (IllegalArgumentException e) {
            System.err.println("ngao " + args[0] + ": " + e.getMessage());
            System.exit(EXIT_USAGE);
        }
    }

    /** {@code embedded} takes {@code --demo} alone; anything else is a mistake, not something to ignore. */
    private static boolean demoFlag(List<String> arguments) {
        if (arguments.isEmpty()) {
            return false;
        }
        if (arguments.equals(List.of("--demo"))) {
            return true;
        }
        throw new IllegalArgumentException("takes --demo or nothing, not " + String.join(" ", arguments));
    }

    private interface Tool {
        void run() throws Exception;
    }

    /**
     * Runs a command-line tool; wrong arguments (an unreadable file among them) end with their message in one
     * line (never a secret) and the usage exit code, an I/O failure or a cluster that cannot be reached with one
     * line and {@value #EXIT_IO}.
     */
    private static void tool(Tool tool) throws Exception {
        try {
            tool.run();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_USAGE);
        } catch (java.io.IOException | java.io.UncheckedIOException | KafkaException | SchemaRegistryException e) {
            System.err.println("ngao: " + OneLine.of(e));
            System.exit(EXIT_IO);
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: ngao embedded [--demo]      run every service on an embedded Kafka broker");
        out.println("       ngao service <ingest|risk|ledger|reconciler|notifier|console>  run one service against NGAO_KAFKA_BOOTSTRAP_SERVERS");
        out.println("       ngao config-docs            print every configuration key");
        out.println("       ngao topics-docs            print the table of every topic");
        out.println("       ngao bench-ingest           POST /v1/payments against a bare Vert.x endpoint, as a ratio");
        out.println("       " + KeysCommand.USAGE.replace("\n", "\n       "));
        out.println("       " + UsersCommand.USAGE.replace("\n", "\n       "));
        out.println("       " + SignCommand.USAGE);
        out.println("       " + TailCommand.USAGE);
        out.println("       " + ExplainCommand.USAGE);
        out.println("       ngao backtest --candidate FILE [...]   replay recorded requests through a candidate rule set (ngao backtest alone lists its options)");
        out.println("       " + ReconcileCommand.USAGE.substring("usage: ".length())
                + "   reconcile a settlement report on the running reconciler");
        out.println("       ngao ledger-verify [data dir]    walk the ledger's hash chain and recompute its balances");
    }

    /** Every service's keys, one table each, as docs/configuration.md shows them. */
    public static String configDocs() {
        StringBuilder docs = new StringBuilder();
        configSections().forEach((title, definition) -> docs.append("### ").append(title).append("\n\n")
                .append(ConfigDocs.markdownTable(definition)).append('\n'));
        return docs.toString();
    }

    /** The sections of {@link #configDocs()}: a title and the keys it lists, each key listed once. */
    static Map<String, ConfigDef> configSections() {
        Map<String, ConfigDef> sections = new LinkedHashMap<>();
        sections.put("Shared by every service", KafkaSettings.DEFINITION);
        sections.put("ingest-service", without(IngestConfig.DEFINITION));
        sections.put("risk-streams", without(RiskConfig.DEFINITION));
        sections.put("ledger-service", without(LedgerConfig.DEFINITION));
        sections.put("reconciler", without(ReconcilerConfig.DEFINITION));
        sections.put("notifier", without(NotifierConfig.DEFINITION));
        sections.put("console", without(ConsoleConfig.DEFINITION));
        sections.put("provider-sandbox", without(SandboxConfig.DEFINITION));
        sections.put("Embedded mode (launcher)", LauncherConfig.DEFINITION);
        sections.put("Embedded mode, JVM (the ngao script)", LauncherConfig.JVM_DEFINITION);
        return sections;
    }

    /** A service's own keys, without the shared Kafka ones already listed once. */
    static ConfigDef without(ConfigDef definition) {
        ConfigDef own = new ConfigDef();
        definition.configKeys().values().stream()
                .filter(key -> !KafkaSettings.DEFINITION.names().contains(key.name))
                .forEach(own::define);
        return own;
    }

    private static void runService(String name, Map<String, String> environment) throws Exception {
        // Every key is validated before anything connects, so bad configuration fails fast and says which.
        KafkaSettings settings = EnvironmentConfig.load(KafkaSettings.DEFINITION, environment, KafkaSettings::new);
        Function<KafkaContext, ManagedService> factory = switch (name) {
            case "ingest" -> {
                IngestConfig config = IngestConfig.fromEnvironment(environment);
                yield kafka -> new IngestService(config, kafka);
            }
            case "risk" -> {
                RiskConfig config = RiskConfig.fromEnvironment(environment);
                yield kafka -> new RiskStreamsService(config, kafka);
            }
            case "ledger" -> {
                LedgerConfig config = LedgerConfig.fromEnvironment(environment);
                yield kafka -> new LedgerService(config, kafka);
            }
            case "reconciler" -> {
                ReconcilerConfig config = ReconcilerConfig.fromEnvironment(environment);
                yield kafka -> new ReconcilerService(config, kafka);
            }
            case "notifier" -> {
                NotifierConfig config = NotifierConfig.fromEnvironment(environment);
                yield kafka -> new NotifierService(config, kafka);
            }
            case "console" -> {
                ConsoleConfig config = ConsoleConfig.fromEnvironment(environment);
                yield kafka -> new ConsoleService(config, kafka);
            }
            default -> throw new InvalidConfigurationException("unknown service '" + name
                    + "': expected ingest, risk, ledger, reconciler, notifier or console");
        };
        KafkaContext kafka = KafkaContext.connect(settings);
        ManagedService service = factory.apply(kafka);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            kafka.close();
        }, "ngao-shutdown"));
        service.start();
        // Runs until Ctrl-C or SIGTERM (the hook closes the service), or until the service fails on its
        // own: then the process exits non-zero so a supervisor restarts it.
        Throwable failure = service.failure().join();
        System.err.println(service.name() + " stopped: " + failure.getMessage());
        System.exit(EXIT_SERVICE_FAILED);
    }
}
