package dev.ngao.notifier;

import dev.ngao.platform.auth.SignedRequestSettings;
import dev.ngao.platform.auth.TestKeys;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notifier README's promises to merchants, held to the code. Its configuration table is checked with every
 * other module's in launcher's {@code DocumentationTest}.
 */
class ReadmeTest {

    @Test
    void shouldStateTheGiveUpPeriodAndTheSpecTestVectorSignatureShape() throws IOException {
        String readme = Files.readString(Path.of("README.md"));

        assertThat(readme).contains("**72 hours**", "webhook-id", "webhook-timestamp", "webhook-signature");
        assertThat(new NotifierConfig(java.util.Map.of(NotifierConfig.PREFIX + SignedRequestSettings.MASTER_KEY,
                TestKeys.MASTER_KEY_TEXT)).retrySchedule().giveUpAfter().toHours()).isEqualTo(72);
    }
}
