package dev.ngao.risk;

import dev.ngao.platform.config.ConfigDocs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeTest {

    @Test
    void shouldDocumentTheConfigurationAsDefined() throws IOException {
        // Given the README of this module (Surefire runs in the module directory)
        String readme = Files.readString(Path.of("README.md"));

        // Then its configuration table is the one generated from RiskConfig.DEFINITION
        assertThat(readme).contains(ConfigDocs.markdownTable(RiskConfig.DEFINITION));
    }
}
