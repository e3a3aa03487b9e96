package dev.ngao.console;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IngestClientTest {

    @Test
    void shouldKeepTheBaseUrlsPathWhenIngestIsBehindAPathRoutingProxy() {
        ConsoleConfig config = new ConsoleConfig(Map.of(ConsoleConfig.INGEST_URL, "https://gateway.example/ngao/ingest/",
                ConsoleConfig.KEYS_MASTER_KEY, ConsoleConfigTest.MASTER_KEY));
        IngestClient client = new IngestClient(config.ingestUrl(), Duration.ofSeconds(1));

        assertThat(client.at(IngestClient.REVIEWS_PATH + "txn_1/resolution"))
                .isEqualTo(URI.create("https://gateway.example/ngao/ingest/v1/reviews/txn_1/resolution"));
    }

    @Test
    void shouldAddThePathToABaseUrlWithoutOne() {
        IngestClient client = new IngestClient(URI.create("http://ingest-service:8080"), Duration.ofSeconds(1));

        assertThat(client.at("/v1/reviews/txn_1/resolution"))
                .isEqualTo(URI.create("http://ingest-service:8080/v1/reviews/txn_1/resolution"));
    }
}
