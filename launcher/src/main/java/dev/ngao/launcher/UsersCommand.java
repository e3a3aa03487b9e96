package dev.ngao.launcher;

import dev.ngao.console.ConsoleConfig;
import dev.ngao.console.UserAdministration;
import dev.ngao.console.account.Accounts;
import dev.ngao.console.account.ConsoleUser;
import dev.ngao.console.account.Role;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ngao users add|reset|list}: people's console accounts on the cluster the environment names, with the
 * console's settings (NGAO_CONSOLE_*: the master key, or for the embedded mode the one in data/secrets, and the
 * public URL the enrolment links start with). An account is linked to an API key made beforehand with
 * {@code ngao keys create}; the person sets a password and an authenticator through the one-time link printed
 * here, which is shown once.
 */
final class UsersCommand {

    static final String USAGE = String.join("\n",
            "ngao users add --username NAME --role analyst|operator --key KEY_ID",
            "ngao users reset USERNAME    a new enrolment link; the old password, authenticator and recovery codes stop working",
            "ngao users list");
    static final String SEE_USAGE = "run ngao users for its usage";
    private static final Set<String> OPTIONS = Set.of("--username", "--role", "--key");

    private UsersCommand() {
    }

    /** Checks the arguments, then connects, runs one command, disconnects. */
    static void run(List<String> arguments, Map<String, String> environment, PrintStream out) throws Exception {
        Map<String, String> options = validate(arguments);
        KafkaSettings settings = EnvironmentConfig.load(KafkaSettings.DEFINITION, environment, KafkaSettings::new);
        ConsoleConfig config = ConsoleConfig.fromEnvironment(withMasterKey(environment));
        String operator = "ngao-cli:" + System.getProperty("user.name", "unknown");
        try (KafkaContext kafka = KafkaContext.connect(settings);
             UserAdministration users = UserAdministration.open(config, kafka, operator)) {
            switch (arguments.get(0)) {
                case "add" -> printLink("created", users, users.invite(required(options, "--username"),
                        Role.parse(required(options, "--role")), required(options, "--key")), out);
                case "reset" -> printLink("reset", users, users.reset(required(options, "USERNAME")), out);
                default -> list(users.list(), out);
            }
        }
    }

    /**
     * The command's options, every one checked before anything connects, so that a mistake is told at once.
     *
     * @throws IllegalArgumentException with a one-line message for the user (the whole usage when none is given)
     */
    static Map<String, String> validate(List<String> arguments) {
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("usage:\n" + USAGE);
        }
        Map<String, String> options = options(arguments.subList(1, arguments.size()));
        switch (arguments.get(0)) {
            case "add" -> {
                required(options, "--username");
                Role.parse(required(options, "--role"));
                required(options, "--key");
                if (options.containsKey("USERNAME")) {
                    throw new IllegalArgumentException("users add names the account with --username; " + SEE_USAGE);
                }
            }
            case "reset" -> required(options, "USERNAME");
            case "list" -> {
                if (!options.isEmpty()) {
                    throw new IllegalArgumentException("users list takes no arguments");
                }
            }
            default -> throw new IllegalArgumentException("unknown users command " + arguments.get(0) + "; " + SEE_USAGE);
        }
        return options;
    }

    /** The environment, with the embedded mode's master key when the console's is not set. */
    private static Map<String, String> withMasterKey(Map<String, String> environment) {
        String variable = EnvironmentConfig.variableName(ConsoleConfig.KEYS_MASTER_KEY);
        if (environment.get(variable) != null && !environment.get(variable).isBlank()) {
            return environment;
        }
        Map<String, String> completed = new HashMap<>(environment);
        completed.put(variable, Base64.getEncoder().encodeToString(KeysCommand.masterKey(environment, variable)));
        return completed;
    }

    private static Map<String, String> options(List<String> arguments) {
        Map<String, String> options = new HashMap<>();
        for (int index = 0; index < arguments.size(); index++) {
            String argument = arguments.get(index);
            if (argument.startsWith("--")) {
                if (!OPTIONS.contains(argument)) {
                    throw new IllegalArgumentException("unknown option " + argument + "; " + SEE_USAGE);
                }
                options.put(argument, SignCommand.valueAfter(arguments, ++index, argument));
            } else if (options.putIfAbsent("USERNAME", argument) != null) {
                throw new IllegalArgumentException("one USERNAME only, not also " + argument + "; " + SEE_USAGE);
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException((name.startsWith("--") ? name + " is required" : "give the " + name)
                    + "; " + SEE_USAGE);
        }
        return value.trim();
    }

    private static void printLink(String what, UserAdministration users, Accounts.Invitation invitation,
                                  PrintStream out) {
        out.println("Account " + invitation.username() + " " + what + ". Its enrolment link, valid until "
                + invitation.expiresAt() + ":");
        out.println();
        out.println("  " + users.enrolmentLink(invitation));
        out.println();
        out.println("Give it to " + invitation.username() + " alone: whoever opens it sets the account's password and "
                + "authenticator. It is not shown again.");
    }

    private static void list(List<ConsoleUser> accounts, PrintStream out) {
        if (accounts.isEmpty()) {
            out.println("No accounts.");
            return;
        }
        var now = Clock.systemUTC().instant();
        for (ConsoleUser user : accounts) {
            String state = user.enrolled() ? "enrolled, " + user.recoveryCodeHashes().size() + " recovery codes left"
                    : "waiting for enrolment until " + user.enrolmentExpiresAt();
            out.println(user.username() + "  " + user.role().text() + "  key " + user.keyId() + "  " + state
                    + (user.lockedAt(now) ? "  LOCKED until " + user.lockedUntil() : ""));
        }
    }
}
