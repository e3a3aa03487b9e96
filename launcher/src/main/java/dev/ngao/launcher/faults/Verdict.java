package dev.ngao.launcher.faults;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one run and every invariant it broke. A violation that is {@code pending} may still resolve as
 * the pipeline catches up (a decision not made yet, an entry not published yet); the others never will (a
 * transaction decided twice, an entry id with two contents), so waiting for them is pointless.
 */
record Verdict(Map<String, String> figures, List<Violation> violations) {

    record Violation(String what, boolean pending) {
    }

    Verdict {
        figures = new LinkedHashMap<>(figures);
        violations = List.copyOf(violations);
    }

    /** This verdict with {@code first} before its own figures. */
    Verdict withFiguresFirst(Map<String, String> first) {
        Map<String, String> all = new LinkedHashMap<>(first);
        all.putAll(figures);
        return new Verdict(all, violations);
    }

    boolean passed() {
        return violations.isEmpty();
    }

    /** Nothing left that waiting could change. */
    boolean settled() {
        return violations.stream().noneMatch(Violation::pending);
    }

    /** The figures as a two-column table, then the violations (or that there are none). */
    String table(String title) {
        int width = figures.keySet().stream().mapToInt(String::length).max().orElse(10);
        StringBuilder table = new StringBuilder(title).append('\n');
        figures.forEach((label, value) -> table.append(String.format(Locale.ROOT, "  %-" + width + "s  %s%n", label,
                value)));
        if (violations.isEmpty()) {
            table.append("  every invariant holds\n");
        } else {
            violations.forEach(violation -> table.append("  VIOLATION: ").append(violation.what()).append('\n'));
        }
        return table.toString();
    }
}
