package dev.ngao.rules;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ngao.rules.Requests.problems;
import static dev.ngao.rules.Requests.rule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule set README's table of types (risk-streams/rulesets/README.md) names, per type, exactly the parameters
 * the compiler reads for it, the ones every rule takes ({@code weight}, {@code accountKinds}) aside.
 */
class RuleParametersReadmeTest {

    private static final Path README = Path.of("..", "risk-streams", "rulesets", "README.md");
    private static final Set<String> EVERY_RULE = Set.of(BaseRule.WEIGHT, BaseRule.ACCOUNT_KINDS);
    private static final String PROBE = "readmeProbe";
    private static final String TABLE_HEADER = "| Type | Parameters |";
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z-]+)` \\| ([^|]*) \\|");
    private static final Pattern KNOWN = Pattern.compile("unknown parameter '" + PROBE
            + "' for type [a-z-]+; known parameters: (.*)$");

    @Test
    void shouldNameEveryParameterTheCompilerReadsForEachType() throws IOException {
        Map<String, Set<String>> documented = documentedParameters();

        Map<String, Set<String>> read = new TreeMap<>();
        for (String type : RuleTypes.names()) {
            read.put(type, parametersRead(type));
        }

        assertThat(documented).as("the types of the README's table and their parameters").isEqualTo(read);
    }

    /** What the compiler reads for a type: the names its refusal of an unknown parameter lists as known. */
    private static Set<String> parametersRead(String type) {
        List<String> problems = problems(rule("probe", type, "{\"" + PROBE + "\": true}"));
        for (String problem : problems) {
            Matcher known = KNOWN.matcher(problem);
            if (known.find()) {
                Set<String> names = new LinkedHashSet<>(List.of(known.group(1).split(", ")));
                names.remove("none");
                names.removeAll(EVERY_RULE);
                return names;
            }
        }
        throw new AssertionError("no unknown-parameter problem for type " + type + " in " + problems);
    }

    /** Per row of the table of types, the back-quoted names of its parameters column outside parentheses. */
    private static Map<String, Set<String>> documentedParameters() throws IOException {
        Map<String, Set<String>> documented = new TreeMap<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(README)) {
            if (line.startsWith(TABLE_HEADER)) {
                inTable = true;
                continue;
            }
            if (inTable && !line.startsWith("|")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (inTable && row.find()) {
                documented.put(row.group(1), namesOutsideParentheses(row.group(2)));
            }
        }
        return documented;
    }

    private static Set<String> namesOutsideParentheses(String column) {
        Set<String> names = new LinkedHashSet<>();
        int depth = 0;
        for (int index = 0; index < column.length(); index++) {
            char c = column.charAt(index);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '`') {
                int end = column.indexOf('`', index + 1);
                if (depth == 0) {
                    names.add(column.substring(index + 1, end));
                }
                index = end;
            }
        }
        return names;
    }
}
