package dev.ngao.rules;

import java.util.List;

/** A rule set file that cannot be read as a rule set, with every problem found, naming the file. */
public final class InvalidRuleSetFileException extends Exception {

    private final String fileName;
    private final List<String> problems;

    public InvalidRuleSetFileException(String fileName, List<String> problems) {
        super("rule set file " + fileName + " refused: " + String.join("; ", problems));
        this.fileName = fileName;
        this.problems = List.copyOf(problems);
    }

    public String fileName() {
        return fileName;
    }

    public List<String> problems() {
        return problems;
    }
}
