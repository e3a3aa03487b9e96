package dev.ngao.notifier;

import dev.ngao.platform.auth.SignedRequestSettings;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.ConfigDocs;
import org.apache.kafka.common.config.ConfigDef;
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
        ConfigDef own = new ConfigDef();
        NotifierConfig.DEFINITION.configKeys().values().stream()
                .filter(key -> key.name.startsWith("notifier."))
                .forEach(own::define);

        // When
        String table = ConfigDocs.markdownTable(own);

        // Then
        assertThat(readme).as("notifier/README.md configuration table; regenerate it from NotifierConfig.DEFINITION")
                .contains(table.strip());
    }

    @Test
    void shouldStateTheGiveUpPeriodAndTheSpecTestVectorSignatureShape() throws IOException {
        String readme = Files.readString(Path.of("README.md"));

        assertThat(readme).contains("**72 hours**", "webhook-id", "webhook-timestamp", "webhook-signature");
        assertThat(new NotifierConfig(java.util.Map.of(NotifierConfig.PREFIX + SignedRequestSettings.MASTER_KEY,
                TestKeys.MASTER_KEY_TEXT)).retrySchedule().giveUpAfter().toHours()).isEqualTo(72);
    }
}
