package dev.ngao.notifier;

import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifierConfigTest {

    private static final String SECRET_A = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SECRET_B = "whsec_YW5vdGhlci1zZWNyZXQtb2YtMzItYnl0ZXMtbG9uZyE=";

    @Test
    void shouldUseDocumentedDefaultsWhenNothingIsSet() {
        NotifierConfig config = load(Map.of());

        assertThat(config.httpPort()).isEqualTo(8086);
        assertThat(config.merchants()).isEmpty();
        assertThat(config.retrySchedule().giveUpAfter()).isEqualTo(Duration.ofHours(72));
        assertThat(config.retrySchedule().initialBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.retrySchedule().maxBackoff()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldReadEndpointsAndRotatingSecretsWhenWellFormed() {
        NotifierConfig config = load(Map.of(
                "NGAO_NOTIFIER_MERCHANTS", "acme=https://acme.example/hooks/ngao, shop-2=http://127.0.0.1:9000/h",
                "NGAO_NOTIFIER_MERCHANT_SECRETS", "acme=" + SECRET_B + " " + SECRET_A + ",shop-2=" + SECRET_A));

        assertThat(config.merchants()).containsOnlyKeys("acme", "shop-2");
        assertThat(config.merchants().get("acme").url()).hasToString("https://acme.example/hooks/ngao");
        assertThat(config.merchants().get("acme").secrets()).hasSize(2);
        assertThat(config.merchants().get("shop-2").secrets()).hasSize(1);
    }

    @Test
    void shouldNameTheVariableWhenAUrlIsBad() {
        assertThatThrownBy(() -> load(Map.of(
                "NGAO_NOTIFIER_MERCHANTS", "acme=ftp://acme.example/hooks",
                "NGAO_NOTIFIER_MERCHANT_SECRETS", "acme=" + SECRET_A)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_NOTIFIER_MERCHANTS").hasMessageContaining("http or https");
        assertThatThrownBy(() -> load(Map.of(
                "NGAO_NOTIFIER_MERCHANTS", "acme=not a url",
                "NGAO_NOTIFIER_MERCHANT_SECRETS", "acme=" + SECRET_A)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("acme");
        assertThatThrownBy(() -> load(Map.of(
                "NGAO_NOTIFIER_MERCHANTS", "https://acme.example/hooks")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("MERCHANT_ID=URL");
    }

    @Test
    void shouldRefuseWithoutShowingItWhenASecretIsNotWhsecBase64() {
        String leaked = "whsec_this-is-not-base64!!";
        assertThatThrownBy(() -> load(Map.of(
                "NGAO_NOTIFIER_MERCHANTS", "acme=https://acme.example/hooks",
                "NGAO_NOTIFIER_MERCHANT_SECRETS", "acme=" + SECRET_A + " " + leaked)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_NOTIFIER_MERCHANT_SECRETS")
                .hasMessageContaining("secret 2 of merchant acme")
                .hasMessageNotContaining("this-is-not-base64");
        assertThatThrownBy(() -> load(Map.of(
                "NGAO_NOTIFIER_MERCHANTS", "acme=https://acme.example/hooks",
                "NGAO_NOTIFIER_MERCHANT_SECRETS", "acme=plain-password-without-prefix")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("whsec_")
                .hasMessageNotContaining("plain-password");
    }

    @Test
    void shouldRefuseWhenEndpointsAndSecretsDoNotPairUp() {
        assertThatThrownBy(() -> load(Map.of(
                "NGAO_NOTIFIER_MERCHANTS", "acme=https://acme.example/hooks")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("acme")
                .hasMessageContaining("no secret");
        assertThatThrownBy(() -> load(Map.of(
                "NGAO_NOTIFIER_MERCHANT_SECRETS", "acme=" + SECRET_A)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("no URL");
    }

    /** Loads {@code environment} plus the keys' master key every configuration needs. */
    private static NotifierConfig load(Map<String, String> environment) {
        Map<String, String> withMasterKey = new java.util.HashMap<>(environment);
        withMasterKey.putIfAbsent("NGAO_NOTIFIER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        return NotifierConfig.fromEnvironment(withMasterKey);
    }

    @Test
    void shouldRefuseNamingTheVariableWhenTheKeysMasterKeyIsMissing() {
        // The API verifies signed requests against the API keys, whose secrets only the master key opens.
        assertThatThrownBy(() -> NotifierConfig.fromEnvironment(Map.of()))
                .isInstanceOf(dev.ngao.platform.config.InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_NOTIFIER_KEYS_MASTER_KEY");
    }
}
