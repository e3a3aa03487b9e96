package dev.ngao.ingest;

import dev.ngao.platform.config.ConfigDocs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class IngestConfigDocsTest {

    @Test
    void shouldDocumentEveryKeyWhenReadmeIsCurrent() throws Exception {
        // Given the README of this module (tests run from the module directory)
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

        // Then it carries the table generated from the definition that validates at start
        assertThat(readme).contains(ConfigDocs.markdownTable(IngestConfig.DEFINITION));
    }
}
