package dev.ngao.console;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertFeedTest {

    private StubPrometheus prometheus;

    @BeforeEach
    void start() throws Exception {
        prometheus = new StubPrometheus();
    }

    @AfterEach
    void stop() {
        prometheus.close();
    }

    private AlertFeed feed() {
        return new AlertFeed(Optional.of(URI.create(prometheus.url())), Duration.ofSeconds(2));
    }

    @Test
    void shouldShowNgaosAlertsFiringFirstWithWhatTheRunbookNeeds() throws Exception {
        // Given Prometheus holding a pending Ngao alert, another system's alert and a firing Ngao alert

        // When the feed reads it
        List<AlertFeed.Alert> alerts = feed().alerts().get(5, TimeUnit.SECONDS);

        // Then only Ngao's are shown, the firing one first, with its summary, runbook and since when
        assertThat(alerts).extracting(AlertFeed.Alert::name).containsExactly("NgaoProviderDown", "NgaoConsumerLag");
        assertThat(alerts.get(0)).isEqualTo(new AlertFeed.Alert("NgaoProviderDown", "critical", "firing",
                "mobile-money-hub is down", "The reconciler's heartbeat has failed for 5 minutes.",
                "docs/runbook.md#a-provider-down-or-misbehaving", Instant.parse("2026-12-07T12:00:00Z")));
        assertThat(alerts.get(1).state()).isEqualTo("pending");
        // And labels beyond name and severity are not passed on
        assertThat(alerts.get(0).json().fieldNames()).containsExactlyInAnyOrder("name", "severity", "state",
                "summary", "description", "runbookUrl", "activeAt");
    }

    @Test
    void shouldFailAsUnavailableWhenPrometheusAnswersAnErrorOrSomethingElseOrIsAway() {
        prometheus.answer(503, "{\"status\": \"error\"}");
        assertUnavailable(feed(), "answered 503");

        prometheus.answer(200, "<html>a login page</html>");
        assertUnavailable(feed(), "not JSON");

        prometheus.answer(200, "{\"status\": \"success\", \"data\": {}}");
        assertUnavailable(feed(), "not an alerts document");

        AlertFeed away = feed();
        prometheus.close();
        assertUnavailable(away, "could not be reached");
    }

    @Test
    void shouldSayNotConfiguredWithoutAPrometheus() {
        AlertFeed none = new AlertFeed(Optional.empty(), Duration.ofSeconds(1));

        assertThat(none.configured()).isFalse();
        assertThatThrownBy(none::alerts).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldKeepAtMostTheCapWhenPrometheusHoldsMore() {
        StringBuilder many = new StringBuilder("{\"status\": \"success\", \"data\": {\"alerts\": [");
        for (int index = 0; index < AlertFeed.MAX_ALERTS + 5; index++) {
            many.append(index == 0 ? "" : ",").append("{\"labels\": {\"alertname\": \"NgaoRule").append(index)
                    .append("\"}, \"state\": \"firing\"}");
        }
        many.append("]}}");

        assertThat(AlertFeed.parse(many.toString())).hasSize(AlertFeed.MAX_ALERTS);
    }

    private static void assertUnavailable(AlertFeed feed, String message) {
        assertThatThrownBy(() -> feed.alerts().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AlertFeed.Unavailable.class).hasMessageContaining(message);
    }
}
