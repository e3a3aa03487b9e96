package dev.ngao.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** deploy/prometheus: Ngao's alerting and recording rules and their promtool unit tests, read as committed. */
final class AlertRules {

    static final Path DIRECTORY = DeployFiles.DEPLOY.resolve("prometheus");
    static final Path RULES = DIRECTORY.resolve("ngao-alerts.yml");
    static final Path UNIT_TESTS = DIRECTORY.resolve("ngao-alerts.test.yml");

    /** What PromQL reads in an expression that is not a metric name: label sets, ranges, strings, groupings. */
    private static final List<Pattern> NOT_METRIC_NAMES = List.of(
            Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'"),
            Pattern.compile("\\{[^}]*}"),
            Pattern.compile("\\[[^]]*]"),
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)"),
            Pattern.compile("\\boffset\\s+-?[0-9a-z]+"));
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "by", "without", "on",
            "ignoring", "group_left", "group_right", "offset", "inf", "nan");
    /** An identifier not followed by '(' (that would be a function or an aggregation). */
    private static final Pattern METRIC_NAME = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\\w:]|\\s*\\()");

    private AlertRules() {
    }

    /** One rule of a group: an alert or a recording rule. */
    record Rule(String group, Map<String, Object> fields) {

        boolean isAlert() {
            return fields.containsKey("alert");
        }

        String name() {
            return Yaml2.text(isAlert() ? fields.get("alert") : fields.get("record"));
        }

        String expression() {
            return Yaml2.text(fields.get("expr"));
        }

        String label(String name) {
            return Yaml2.text(Yaml2.at(fields, "labels/" + name));
        }

        String annotation(String name) {
            return Yaml2.text(Yaml2.at(fields, "annotations/" + name));
        }
    }

    static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (Map<String, Object> document : DeployFiles.yamlDocuments(RULES)) {
            for (Object group : Yaml2.listAt(document, "groups")) {
                Map<String, Object> groupFields = Yaml2.map(group, RULES + " group");
                String groupName = Yaml2.text(groupFields.get("name"));
                for (Object rule : Yaml2.listAt(groupFields, "rules")) {
                    rules.add(new Rule(groupName, Yaml2.map(rule, RULES + " group " + groupName + " rule")));
                }
            }
        }
        return rules;
    }

    static List<Rule> alerts() {
        return rules().stream().filter(Rule::isAlert).toList();
    }

    /** The names of the recording rules: series these rules make themselves. */
    static Set<String> recordedNames() {
        Set<String> names = new TreeSet<>();
        rules().stream().filter(rule -> !rule.isAlert()).forEach(rule -> names.add(rule.name()));
        return names;
    }

    /** The metric names a PromQL expression selects. */
    static Set<String> metricNames(String expression) {
        String remaining = expression;
        for (Pattern notMetricNames : NOT_METRIC_NAMES) {
            remaining = notMetricNames.matcher(remaining).replaceAll(" ");
        }
        Set<String> names = new TreeSet<>();
        Matcher name = METRIC_NAME.matcher(remaining);
        while (name.find()) {
            if (!KEYWORDS.contains(name.group(1).toLowerCase())) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    /** The alerts the unit tests expect to fire somewhere (an exp_alerts that is not empty). */
    static Set<String> alertsTestedFiring() {
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> document : DeployFiles.yamlDocuments(UNIT_TESTS)) {
            for (Object test : Yaml2.listAt(document, "tests")) {
                for (Object check : Yaml2.listAt(Yaml2.map(test, UNIT_TESTS + " test"), "alert_rule_test")) {
                    Map<String, Object> fields = Yaml2.map(check, UNIT_TESTS + " alert_rule_test");
                    if (!Yaml2.listAt(fields, "exp_alerts").isEmpty()) {
                        names.add(Yaml2.text(fields.get("alertname")));
                    }
                }
            }
        }
        return names;
    }

    /** The rule files the unit tests load, relative to the tests' directory. */
    static List<String> unitTestRuleFiles() {
        List<String> files = new ArrayList<>();
        for (Map<String, Object> document : DeployFiles.yamlDocuments(UNIT_TESTS)) {
            Yaml2.listAt(document, "rule_files").forEach(file -> files.add(Yaml2.text(file)));
        }
        return files;
    }
}
