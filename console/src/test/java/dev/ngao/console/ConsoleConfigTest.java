package dev.ngao.console;

import dev.ngao.platform.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsoleConfigTest {

    @Test
    void shouldDefaultToPort8087AndTheLocalIngestDoor() {
        ConsoleConfig config = ConsoleConfig.fromEnvironment(Map.of());

        assertThat(config.httpPort()).isEqualTo(8087);
        assertThat(config.ingestUrl().toString()).isEqualTo("http://127.0.0.1:8080");
        assertThat(config.cookieSecure()).isFalse();
    }

    @Test
    void shouldRefuseAnIngestUrlThatIsNotAPlainHttpBaseUrl() {
        for (String url : new String[]{"ftp://ingest:21", "http://", "http://user:pw@ingest:8080", "http://ingest?x=1"}) {
            assertThatThrownBy(() -> ConsoleConfig.fromEnvironment(Map.of("NGAO_CONSOLE_INGEST_URL", url)))
                    .as(url).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("NGAO_CONSOLE_INGEST_URL");
        }
    }

    @Test
    void shouldRefuseASessionIdleTimeOutOfRange() {
        assertThatThrownBy(() -> ConsoleConfig.fromEnvironment(Map.of("NGAO_CONSOLE_SESSION_IDLE_MINUTES", "0")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("console.session.idle.minutes");
    }
}
