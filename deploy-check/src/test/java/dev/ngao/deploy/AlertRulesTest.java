package dev.ngao.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/prometheus/ngao-alerts.yml against the code: every series an expression selects is one a service
 * exports ({@link ExportedMetrics}, computed from the sources and the libraries they bind) or one a recording
 * rule of the file makes; every alert says how bad it is, what happened and where the runbook is, and has a
 * promtool unit test that fires it. promtool itself runs in {@link PromtoolTest}.
 */
class AlertRulesTest {

    private static final Set<String> SEVERITIES = Set.of("critical", "warning");
    private static final Pattern RUNBOOK_LINK = Pattern.compile("docs/runbook\\.md#[a-z0-9]+(-[a-z0-9]+)*");

    private static Set<String> exported;

    @BeforeAll
    static void scrapeWhatTheServicesExport(@TempDir Path stateDirectory) {
        exported = ExportedMetrics.seriesNames(stateDirectory);
    }

    @Test
    void shouldSelectOnlySeriesTheServicesExportOrTheRulesRecord() {
        // Given every series name the services' scrapes can hold, and those recorded by the rules
        Set<String> known = new TreeSet<>(exported);
        known.addAll(AlertRules.recordedNames());

        // When every rule's expression is read for the series it selects
        List<String> unknown = new ArrayList<>();
        for (AlertRules.Rule rule : AlertRules.rules()) {
            for (String name : AlertRules.metricNames(rule.expression())) {
                if (!known.contains(name)) {
                    unknown.add(rule.name() + " selects " + name);
                }
            }
        }

        // Then none is unknown: a misspelt or removed metric would make an alert that can never fire
        assertThat(unknown).as("series no service exports (exported: %s)", exported).isEmpty();
    }

    @Test
    void shouldComputeTheExportedNamesFromTheCodeAndItsKafkaClients() {
        // The domain meters with Micrometer's Prometheus names, and Kafka's client and Streams metrics
        assertThat(exported).contains("ngao_risk_decisions_total", "ngao_ingest_refusals_total",
                "ngao_reconciler_breaks_total", "ngao_ledger_refusals_total",
                "ngao_ingest_kafka_send_seconds_bucket", "ngao_notifier_pending",
                "kafka_consumer_fetch_manager_records_lag_max", "kafka_stream_reconciler_breaks_total");
        // A timer with client-side percentiles is a summary: quantiles, no buckets
        assertThat(exported).contains("ngao_risk_signals_staleness_seconds",
                "ngao_risk_signals_staleness_seconds_count", "ngao_risk_signals_staleness_seconds_max");
        assertThat(exported).doesNotContain("ngao_risk_signals_staleness_seconds_bucket", "ngao_risk_decisions");
    }

    @Test
    void shouldFindTheSeriesAnExpressionSelects() {
        String expression = """
                sum by (kind, provider) (increase(ngao_reconciler_breaks_total{source="report"}[1h])) > 0
                  or sum by (kind) (ngao_reconciler_breaks_total unless ngao_reconciler_breaks_total offset 1h)
                  and on () ngao:risk_decisions_initial:share_rate10m{outcome="decline"} > 2 * up
                """;

        assertThat(AlertRules.metricNames(expression))
                .containsExactly("ngao:risk_decisions_initial:share_rate10m", "ngao_reconciler_breaks_total", "up");
    }

    @Test
    void shouldGiveEveryAlertASeverityASummaryADescriptionAndARunbookSection() {
        List<AlertRules.Rule> alerts = AlertRules.alerts();

        assertThat(alerts).isNotEmpty();
        for (AlertRules.Rule alert : alerts) {
            assertThat(alert.label("severity")).as("%s severity", alert.name()).isIn(SEVERITIES);
            assertThat(alert.annotation("summary")).as("%s summary", alert.name()).isNotBlank();
            assertThat(alert.annotation("description")).as("%s description", alert.name()).isNotBlank();
            assertThat(alert.annotation("runbook_url")).as("%s runbook_url", alert.name()).matches(RUNBOOK_LINK);
        }
    }

    @Test
    void shouldHaveAUnitTestThatFiresEveryAlert() {
        Set<String> alertNames = new TreeSet<>();
        AlertRules.alerts().forEach(alert -> alertNames.add(alert.name()));

        assertThat(AlertRules.unitTestRuleFiles()).containsExactly(AlertRules.RULES.getFileName().toString());
        assertThat(AlertRules.alertsTestedFiring()).isEqualTo(alertNames);
    }
}
