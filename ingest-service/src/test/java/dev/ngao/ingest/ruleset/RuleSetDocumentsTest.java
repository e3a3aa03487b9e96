package dev.ngao.ingest.ruleset;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RuleSetDocumentsTest {

    @Test
    void shouldParseAMappingWithTextKeysWhenTheDocumentIsWithinTheLimits() {
        Optional<Map<String, Object>> document = parse("merchantId: default\n1: one\n");

        assertThat(document).hasValueSatisfying(map -> assertThat(map).containsEntry("merchantId", "default")
                .containsEntry("1", "one"));
    }

    @Test
    void shouldReadCountryCodesTimesAndCategoriesAsTheTextTheyAreAsRuleSetFilesDo() {
        // Given scalars YAML 1.1 would turn into a boolean (Norway), a sexagesimal number and an octal one
        String yaml = "countries: [NO, KE]\nfrom: 22:30\nblocked: [0742]\nenabled: true\n";

        // Then an upload reads them as text, as the same rule set file does, and true stays a boolean
        Map<String, Object> document = parse(yaml).orElseThrow();
        assertThat(document).containsEntry("countries", List.of("NO", "KE")).containsEntry("from", "22:30")
                .containsEntry("blocked", List.of("0742")).containsEntry("enabled", true);
    }

    @Test
    void shouldRefuseADocumentLongerThanTheCodePointLimit() {
        // Given one scalar longer than the loader reads, as a raised body limit would let through
        String yaml = "merchantId: " + "x".repeat(RuleSetDocuments.MAXIMUM_CODE_POINTS) + "\n";

        assertThat(parse(yaml)).isEmpty();
    }

    @Test
    void shouldRefuseADocumentThatIsNotAMapping() {
        assertThat(parse("- one\n- two\n")).isEmpty();
        assertThat(parse("just text")).isEmpty();
    }

    @Test
    void shouldRefuseTypesBeyondPlainOnesWhenTaggedInTheDocument() {
        assertThat(parse("merchantId: !!java.io.File /etc/passwd\n")).isEmpty();
    }

    private static Optional<Map<String, Object>> parse(String yaml) {
        return RuleSetDocuments.parseYaml(yaml.getBytes(StandardCharsets.UTF_8));
    }
}
