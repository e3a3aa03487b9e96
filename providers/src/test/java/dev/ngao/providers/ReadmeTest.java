package dev.ngao.providers;

import dev.ngao.platform.config.ConfigDocs;
import dev.ngao.providers.config.ProvidersConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeTest {

    @Test
    void shouldDocumentEveryConfigurationKeyAsDefined() throws Exception {
        // Given the module README (tests run in the module folder)
        String readme = Files.readString(Path.of("README.md"));

        // Then its configuration table is exactly the one generated from the definition
        assertThat(readme).contains(ConfigDocs.markdownTable(ProvidersConfig.DEFINITION));
    }
}
