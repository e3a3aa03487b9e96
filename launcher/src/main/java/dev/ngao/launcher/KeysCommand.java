package dev.ngao.launcher;

import dev.ngao.platform.auth.ApiKey;
import dev.ngao.ingest.auth.AuthSettings;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.KafkaKeyStore;
import dev.ngao.ingest.auth.KeyAdministration;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.SecretCipher;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.InvalidConfigurationException;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code ngao keys create|rotate|revoke|list}: API key management against the key topic of the cluster
 * the environment names (NGAO_KAFKA_BOOTSTRAP_SERVERS), with the master key from
 * NGAO_INGEST_KEYS_MASTER_KEY, or, for the embedded mode, from data/secrets/keys-master-key. A new
 * secret is printed once and never again.
 */
final class KeysCommand {

    static final String USAGE = String.join("\n",
            "ngao keys create --merchant ID --scopes SCOPE[,SCOPE] --allow CIDR[,CIDR] [--key-id ID]",
            "                 [--environment sandbox|live] [--valid-days N] [--client-cert sha256:HEX|subject:DN]",
            "ngao keys rotate KEY_ID [--overlap-hours N] [--valid-days N]",
            "ngao keys revoke KEY_ID",
            "ngao keys list",
            "scopes: " + String.join(", ", Scopes.ALL.stream().sorted().toList()));

    /** Where a one-line refusal sends the user for the whole usage. */
    static final String SEE_USAGE = "run ngao keys for its usage";

    private KeysCommand() {
    }

    /** Checks the arguments, then connects, runs one key command, disconnects. */
    static void run(List<String> arguments, Map<String, String> environment, PrintStream out) throws Exception {
        validate(arguments);
        KafkaSettings settings = EnvironmentConfig.load(KafkaSettings.DEFINITION, environment, KafkaSettings::new);
        byte[] masterKey = masterKey(environment);
        try (KafkaContext kafka = KafkaContext.connect(settings);
             KafkaKeyStore store = new KafkaKeyStore(kafka, new SecretCipher(masterKey, new SecureRandom()),
                     "ngao-keys-cli").start()) {
            execute(arguments, new KeyAdministration(store, Clock.systemUTC(), new SecureRandom()), out);
        }
    }

    private static byte[] masterKey(Map<String, String> environment) {
        return masterKey(environment, EnvironmentConfig.variableName(AuthSettings.MASTER_KEY));
    }

    /** The master key in {@code variable}, or the embedded mode's in data/secrets when it is not set. */
    static byte[] masterKey(Map<String, String> environment, String variable) {
        String text = environment.get(variable);
        if (text == null || text.isBlank()) {
            LocalSecrets secrets = new LocalSecrets(LauncherConfig.fromEnvironment(environment).dataDirectory());
            text = secrets.find(EmbeddedNgao.MASTER_KEY_FILE).orElseThrow(() -> new InvalidConfigurationException(
                    variable + " is not set and no embedded master key is in "
                            + secrets.file(EmbeddedNgao.MASTER_KEY_FILE)));
        }
        try {
            return SecretCipher.decodeMasterKey(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(variable + ": " + e.getMessage());
        }
    }

    /**
     * Checks the command, its options and their values without running it, so that a mistake is told at once
     * instead of after connecting to the cluster.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    static void validate(List<String> arguments) {
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("usage:\n" + USAGE);
        }
        Options options = Options.parse(arguments.subList(1, arguments.size()));
        options.number("--valid-days", 365);
        options.number("--overlap-hours", 24);
        options.list("--allow").forEach(CidrBlock::parse);
        options.value("--environment").ifPresent(Environment::parse);
        switch (arguments.get(0)) {
            case "create" -> {
                if (!options.positional().isEmpty()) {
                    throw new IllegalArgumentException("keys create takes no KEY_ID (--key-id names one); " + SEE_USAGE);
                }
                options.value("--merchant").orElseThrow(() -> new IllegalArgumentException("--merchant is required"));
            }
            case "rotate", "revoke" -> options.onlyPositional("KEY_ID");
            case "list" -> {
                if (!options.positional().isEmpty() || !options.values().isEmpty()) {
                    throw new IllegalArgumentException("keys list takes no arguments");
                }
            }
            default -> throw new IllegalArgumentException("unknown keys command " + arguments.get(0) + "; " + SEE_USAGE);
        }
    }

    /**
     * Runs one command on {@code administration}.
     *
     * @throws IllegalArgumentException with a message for the user when the command or a value is wrong
     */
    static void execute(List<String> arguments, KeyAdministration administration, PrintStream out) {
        validate(arguments);
        Options options = Options.parse(arguments.subList(1, arguments.size()));
        switch (arguments.get(0)) {
            case "create" -> create(options, administration, out);
            case "rotate" -> {
                KeyAdministration.IssuedSecret issued = administration.rotate(options.onlyPositional("KEY_ID"),
                        Duration.ofHours(options.number("--overlap-hours", 24)),
                        Duration.ofDays(options.number("--valid-days", 365)));
                out.println("Key " + issued.keyId() + " rotated; older secrets stay valid for "
                        + options.number("--overlap-hours", 24) + " h.");
                printSecret(issued, out);
            }
            case "revoke" -> {
                String keyId = options.onlyPositional("KEY_ID");
                administration.revoke(keyId);
                out.println("Key " + keyId + " revoked: every request signed with it is refused from now on.");
            }
            default -> list(administration.list(), out);
        }
    }

    private static void create(Options options, KeyAdministration administration, PrintStream out) {
        String keyId = options.value("--key-id").orElseGet(KeysCommand::randomKeyId);
        Set<String> scopes = new LinkedHashSet<>(options.list("--scopes"));
        List<CidrBlock> networks = options.list("--allow").stream().map(CidrBlock::parse).toList();
        Environment environment = Environment.parse(options.value("--environment").orElse("sandbox"));
        KeyAdministration.IssuedSecret issued = administration.create(new KeyAdministration.NewKey(keyId,
                options.value("--merchant").orElseThrow(() -> new IllegalArgumentException("--merchant is required")),
                environment, scopes, networks, new LinkedHashSet<>(options.all("--client-cert")),
                Duration.ofDays(options.number("--valid-days", 365))));
        out.println("Key " + keyId + " created (" + environment.text() + ", scopes " + String.join(",", scopes) + ").");
        printSecret(issued, out);
    }

    private static void printSecret(KeyAdministration.IssuedSecret issued, PrintStream out) {
        out.println("Secret " + issued.secretId() + ", valid until " + issued.expiresAt() + ":");
        out.println();
        out.println("  " + issued.secret());
        out.println();
        out.println("Store it now, e.g. in a file only you can read: it is not shown again.");
    }

    private static void list(List<ApiKey> keys, PrintStream out) {
        if (keys.isEmpty()) {
            out.println("No keys.");
            return;
        }
        for (ApiKey key : keys) {
            String secrets = key.secrets().stream()
                    .map(secret -> secret.secretId() + " until " + secret.expiresAt())
                    .collect(Collectors.joining(", "));
            out.println(key.keyId() + "  merchant " + key.merchantId() + "  " + key.environment().text()
                    + (key.isRevoked() ? "  REVOKED " + key.revokedAt() : "")
                    + "\n    scopes " + String.join(",", key.scopes().stream().sorted().toList())
                    + "\n    allow " + key.allowedNetworks().stream().map(Object::toString).collect(Collectors.joining(","))
                    + (key.clientCertificates().isEmpty() ? "" : "\n    certificates " + String.join(",",
                    key.clientCertificates()))
                    + "\n    secrets " + (secrets.isEmpty() ? "none" : secrets));
        }
    }

    private static String randomKeyId() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return "key_" + HexFormat.of().formatHex(bytes);
    }

    /** {@code --name value} pairs (repeatable) and positional arguments. */
    private record Options(Map<String, List<String>> values, List<String> positional) {

        private static final Set<String> NAMES = Set.of("--merchant", "--scopes", "--allow", "--key-id",
                "--environment", "--valid-days", "--client-cert", "--overlap-hours");

        static Options parse(List<String> arguments) {
            Map<String, List<String>> values = new java.util.HashMap<>();
            List<String> positional = new ArrayList<>();
            for (int index = 0; index < arguments.size(); index++) {
                String argument = arguments.get(index);
                if (argument.startsWith("--")) {
                    if (!NAMES.contains(argument)) {
                        throw new IllegalArgumentException("unknown option " + argument + "; " + SEE_USAGE);
                    }
                    values.computeIfAbsent(argument, ignored -> new ArrayList<>())
                            .add(SignCommand.valueAfter(arguments, ++index, argument));
                } else {
                    positional.add(argument);
                }
            }
            return new Options(values, positional);
        }

        java.util.Optional<String> value(String name) {
            List<String> given = values.getOrDefault(name, List.of());
            return given.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(given.get(given.size() - 1));
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }

        /** Comma-separated values, from every occurrence of the option. */
        List<String> list(String name) {
            return all(name).stream().flatMap(value -> Arrays.stream(value.split(",")))
                    .map(String::trim).filter(value -> !value.isEmpty()).toList();
        }

        long number(String name, long fallback) {
            String text = value(name).orElse(Long.toString(fallback));
            if (!text.matches("[0-9]{1,6}")) {
                throw new IllegalArgumentException(name + " must be a whole number");
            }
            return Long.parseLong(text);
        }

        String onlyPositional(String what) {
            if (positional.size() != 1) {
                throw new IllegalArgumentException("give exactly one " + what + "; " + SEE_USAGE);
            }
            return positional.get(0);
        }
    }
}
