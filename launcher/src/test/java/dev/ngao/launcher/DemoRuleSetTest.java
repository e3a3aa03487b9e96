package dev.ngao.launcher;

import dev.ngao.events.RuleSetPublished;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.RuleSetCompiler;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class DemoRuleSetTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T08:00:00Z"), ZoneOffset.UTC);

    @Test
    void shouldShipTheDemoMerchantsRuleSetFileAsItIsAndCompileIt() throws Exception {
        RuleSetPublished shipped = DemoRuleSet.read(CLOCK);

        // the one in the jar is the file of the repository, not a copy that could drift
        RuleSetPublished file = dev.ngao.rules.RuleSetFiles.parse(
                Files.readString(Path.of("..", "risk-streams", "rulesets", "merchant-demo.yaml")), "merchant-demo.yaml",
                DemoRuleSet.PUBLISHER_KEY_ID, CLOCK.instant());
        assertThat(shipped).isEqualTo(file);
        CompiledRuleSet compiled = new RuleSetCompiler().compile(shipped);
        assertThat(compiled.merchantId()).isEqualTo(EmbeddedNgao.DEMO_MERCHANT_ID);
        assertThat(shipped.getApiKeyId()).isEqualTo("demo");
        assertThat(shipped.getPublishedAt()).isEqualTo(CLOCK.instant());
        // and it has review rules, so the demo's traffic can fill the console's review queue, and it runs the
        // whole shipped catalogue: every rule id of default.yaml, on every dimension
        assertThat(shipped.getRules()).anySatisfy(rule -> assertThat(rule.getAction().name()).isEqualTo("REVIEW"));
        RuleSetPublished catalogue = dev.ngao.rules.RuleSetFiles.parse(
                Files.readString(Path.of("..", "risk-streams", "rulesets", "default.yaml")), "default.yaml",
                DemoRuleSet.PUBLISHER_KEY_ID, CLOCK.instant());
        assertThat(shipped.getRules().stream().map(rule -> rule.getId()).toList())
                .containsAll(catalogue.getRules().stream().map(rule -> rule.getId()).toList());
        assertThat(compiled.dimensions()).containsExactlyInAnyOrder(dev.ngao.rules.Dimension.values());
    }
}
