package dev.ngao.rules;

import java.util.List;

/** A rule set that cannot run, with every problem found, each naming the rule it belongs to. */
public final class InvalidRuleSetException extends Exception {

    private final List<String> problems;

    public InvalidRuleSetException(String merchantId, String version, List<String> problems) {
        super("rule set " + version + " of " + merchantId + " refused: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
