package dev.ngao.launcher;

import dev.ngao.platform.cli.ExitStatus;
import dev.ngao.platform.cli.OneLine;
import dev.ngao.platform.config.InvalidConfigurationException;

import java.util.List;
import java.util.Map;

/**
 * The main of a command whose settings are environment variables ({@code ngao bench-*}, {@code ngao fault-suite}):
 * an argument is refused rather than ignored, and a bad setting is told in one line naming its variable, with
 * {@value ExitStatus#CONFIG}, never a stack trace. What fails once the run started is the run's own business.
 */
public final class ToolMain {

    /** The work of the command, given the environment. */
    public interface Body {
        void run(Map<String, String> environment) throws Exception;
    }

    private ToolMain() {
    }

    /** Runs {@code body} as the command {@code ngao <command>}; exits the JVM only on a refusal. */
    public static void run(String command, String[] args, Body body) throws Exception {
        int refused = refusal(command, List.of(args), body, System.getenv());
        if (refused != 0) {
            System.exit(refused);
        }
    }

    /** Runs {@code body}; the exit status of a refusal (told on stderr in one line), else 0. */
    static int refusal(String command, List<String> args, Body body, Map<String, String> environment)
            throws Exception {
        if (!args.isEmpty()) {
            System.err.println("ngao " + command + ": takes no arguments, its settings are NGAO_* variables"
                    + " (docs/running.md), not " + String.join(" ", args));
            return ExitStatus.USAGE;
        }
        try {
            body.run(environment);
            return 0;
        } catch (InvalidConfigurationException | IllegalArgumentException e) {
            System.err.println("ngao " + command + ": " + OneLine.of(e.getMessage()));
            return ExitStatus.CONFIG;
        }
    }

    /** A whole number from {@code name}, {@code fallback} when it is not set; from {@code min} to {@code max}. */
    public static long wholeNumber(Map<String, String> environment, String name, long fallback, long min, long max) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number < min || number > max) {
                throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", not " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    /** Positive numbers, comma-separated, from {@code name}; {@code fallback} when it is not set. */
    public static List<Double> positiveNumbers(Map<String, String> environment, String name, String fallback) {
        String value = environment.getOrDefault(name, fallback);
        try {
            List<Double> numbers = java.util.Arrays.stream(value.split(",")).map(String::trim)
                    .map(Double::parseDouble).toList();
            if (numbers.isEmpty() || numbers.stream().anyMatch(number -> !(number > 0) || number.isInfinite())) {
                throw new NumberFormatException(value);
            }
            return numbers;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be positive numbers separated by commas, not '" + value + "'");
        }
    }

    /** One positive number from {@code name}; {@code fallback} when it is not set. */
    public static double positiveNumber(Map<String, String> environment, String name, double fallback) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        List<Double> numbers = positiveNumbers(environment, name, "");
        if (numbers.size() != 1) {
            throw new IllegalArgumentException(name + " must be one positive number, not '" + value + "'");
        }
        return numbers.get(0);
    }
}
