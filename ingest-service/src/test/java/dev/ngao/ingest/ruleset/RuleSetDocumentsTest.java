package dev.ngao.ingest.ruleset;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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
