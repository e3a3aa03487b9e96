package dev.ngao.console;

import dev.ngao.platform.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsoleConfigTest {

    /** Base64 of 32 bytes, for tests only. */
    static final String MASTER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @Test
    void shouldDefaultToPort8087TheLocalIngestDoorAndTheSignInPolicy() {
        ConsoleConfig config = ConsoleConfig.fromEnvironment(environment(Map.of()));

        assertThat(config.httpPort()).isEqualTo(8087);
        assertThat(config.ingestUrl().toString()).isEqualTo("http://127.0.0.1:8080");
        assertThat(config.cookieSecure()).isFalse();
        assertThat(config.signInMaxFailures()).isEqualTo(5);
        assertThat(config.signInLockout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.sessionIdle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.sessionAbsolute()).isEqualTo(Duration.ofHours(12));
        assertThat(config.publicUrl()).isEqualTo("http://127.0.0.1:8087");
    }

    @Test
    void shouldRefuseAnIngestUrlThatIsNotAPlainHttpBaseUrl() {
        for (String url : new String[]{"ftp://ingest:21", "http://", "http://user:pw@ingest:8080", "http://ingest?x=1"}) {
            assertThatThrownBy(() -> ConsoleConfig.fromEnvironment(environment(Map.of("NGAO_CONSOLE_INGEST_URL", url))))
                    .as(url).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("NGAO_CONSOLE_INGEST_URL");
        }
    }

    @Test
    void shouldReadAPrometheusForTheAlertFeedOnlyWhenOneIsNamedAndRefuseAMalformedOne() {
        assertThat(ConsoleConfig.fromEnvironment(environment(Map.of())).prometheusUrl()).isEmpty();
        assertThat(ConsoleConfig.fromEnvironment(environment(Map.of("NGAO_CONSOLE_PROMETHEUS_URL",
                "http://prometheus:9090/"))).prometheusUrl()).hasValue(java.net.URI.create("http://prometheus:9090"));
        assertThatThrownBy(() -> ConsoleConfig.fromEnvironment(environment(Map.of("NGAO_CONSOLE_PROMETHEUS_URL",
                "prometheus:9090"))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_CONSOLE_PROMETHEUS_URL");
    }

    @Test
    void shouldRefuseASessionIdleTimeOutOfRange() {
        assertThatThrownBy(() -> ConsoleConfig.fromEnvironment(environment(Map.of("NGAO_CONSOLE_SESSION_IDLE_MINUTES", "0"))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("console.session.idle.minutes");
    }

    @Test
    void shouldRequireAMasterKeyOf32BytesWithoutQuotingIt() {
        assertThatThrownBy(() -> ConsoleConfig.fromEnvironment(Map.of()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_CONSOLE_KEYS_MASTER_KEY");
        assertThatThrownBy(() -> ConsoleConfig.fromEnvironment(Map.of("NGAO_CONSOLE_KEYS_MASTER_KEY", "c2hvcnQ=")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("console.keys.master.key")
                .hasMessageNotContaining("c2hvcnQ=");
    }

    /** {@code given} and a master key. */
    static Map<String, String> environment(Map<String, String> given) {
        Map<String, String> environment = new HashMap<>(given);
        environment.put("NGAO_CONSOLE_KEYS_MASTER_KEY", MASTER_KEY);
        return environment;
    }
}
