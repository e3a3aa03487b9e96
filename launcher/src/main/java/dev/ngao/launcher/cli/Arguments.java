package dev.ngao.launcher.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line arguments of the analyst commands: positionals, {@code --name value} options and
 * {@code --flag} switches, each name known in advance so a typo is an error, not a silent default.
 */
final class Arguments {

    private final List<String> positionals = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Arguments() {
    }

    /**
     * @throws IllegalArgumentException naming an unknown option, or an option without its value
     */
    static Arguments parse(List<String> arguments, Set<String> optionNames, Set<String> flagNames) {
        Arguments parsed = new Arguments();
        for (int index = 0; index < arguments.size(); index++) {
            String argument = arguments.get(index);
            if (!argument.startsWith("--")) {
                parsed.positionals.add(argument);
            } else if (flagNames.contains(argument)) {
                parsed.flags.add(argument);
            } else if (optionNames.contains(argument)) {
                if (index + 1 >= arguments.size()) {
                    throw new IllegalArgumentException(argument + " needs a value");
                }
                parsed.options.put(argument, arguments.get(++index));
            } else {
                throw new IllegalArgumentException("unknown option " + argument);
            }
        }
        return parsed;
    }

    List<String> positionals() {
        return positionals;
    }

    String option(String name) {
        return options.get(name);
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** A positive whole number option, or {@code otherwise} when absent. */
    long positive(String name, long otherwise) {
        String text = options.get(name);
        if (text == null) {
            return otherwise;
        }
        try {
            long value = Long.parseLong(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the option's name
        }
        throw new IllegalArgumentException(name + " must be a positive whole number, not '" + text + "'");
    }
}
