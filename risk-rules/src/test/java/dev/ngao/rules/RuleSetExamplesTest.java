package dev.ngao.rules;

import dev.ngao.events.RuleSetPublished;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every example rule set in {@code risk-streams/rulesets/} compiles, so that none rots when the catalogue
 * changes; together they use every rule type, and the directory's README documents every type.
 */
class RuleSetExamplesTest {

    @Test
    void shouldCompileEveryExampleRuleSetFile() throws Exception {
        List<Path> files = exampleFiles();
        assertThat(files).extracting(file -> file.getFileName().toString()).contains("default.yaml");
        for (Path file : files) {
            RuleSetPublished published = RuleSetFiles.read(file);
            try {
                CompiledRuleSet compiled = new RuleSetCompiler().compile(published);
                assertThat(compiled.rules()).as(file.toString()).isNotEmpty();
            } catch (InvalidRuleSetException e) {
                fail(file + " does not compile: " + e.problems());
            }
        }
    }

    @Test
    void shouldUseEveryRuleTypeAndAShadowRuleInTheDefaultRuleSet() throws Exception {
        RuleSetPublished published = RuleSetFiles.read(directory().resolve("default.yaml"));
        CompiledRuleSet compiled = new RuleSetCompiler().compile(published);

        Set<String> used = new TreeSet<>();
        published.getRules().forEach(rule -> used.add(rule.getType()));
        assertThat(used).containsExactlyElementsOf(RuleTypes.names());
        assertThat(compiled.merchantId()).isEqualTo(CompiledRuleSet.DEFAULT_MERCHANT);
        assertThat(compiled.rules()).anySatisfy(rule -> assertThat(rule.mode()).isEqualTo(dev.ngao.events.RuleMode.SHADOW));
        assertThat(compiled.scoreThresholds()).contains(new ScoreThresholds(50, 100));
        assertThat(compiled.rules()).extracting(Rule::id)
                .contains(DefaultRuleSet.AMOUNT_POSITIVE, DefaultRuleSet.PER_TRANSACTION_LIMIT, DefaultRuleSet.DAILY_LIMIT);
    }

    @Test
    void shouldDocumentEveryRuleTypeInTheReadme() throws IOException {
        String readme = Files.readString(directory().resolve("README.md"));

        List<String> missing = new ArrayList<>();
        for (String type : RuleTypes.names()) {
            if (!readme.contains("`" + type + "`")) {
                missing.add(type);
            }
        }
        assertThat(missing).as("rule types missing from risk-streams/rulesets/README.md").isEmpty();
    }

    private static List<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(RuleSetFiles::isRuleSetFile).sorted().toList();
        }
    }

    /** risk-streams/rulesets, found from wherever the build runs (the module or the repository root). */
    static Path directory() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("risk-streams").resolve("rulesets");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("risk-streams/rulesets not found above " + start);
    }
}
