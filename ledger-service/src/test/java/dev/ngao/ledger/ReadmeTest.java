package dev.ngao.ledger;

import dev.ngao.platform.config.ConfigDocs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeTest {

    @Test
    void shouldDocumentEveryConfigKeyWhenReadmeIsBuilt() throws IOException {
        // Given
        String readme = Files.readString(Path.of("README.md"));

        // When
        String table = ConfigDocs.markdownTable(LedgerConfig.DEFINITION);

        // Then
        assertThat(readme).as("README.md configuration table; regenerate it from LedgerConfig.DEFINITION")
                .contains(table);
    }
}
