package dev.ngao.sandbox.provider;

import dev.ngao.platform.config.InvalidConfigurationException;
import dev.ngao.platform.testing.MutableClock;
import dev.ngao.providers.ProviderKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxConfigTest {

    @Test
    void shouldBeWellBehavedWhenNoMisbehaviourIsConfigured() {
        SandboxConfig config = SandboxConfig.fromEnvironment(Map.of());

        assertThat(config.misbehaviour()).isEqualTo(Misbehaviour.none(42).withWebhookDelay(Duration.ofSeconds(2)));
        assertThat(config.port()).isEqualTo(8095);
        assertThat(config.apiKey(ProviderKind.PAGOEFECTIVO)).isEqualTo("ngao-pagoefectivo");
        assertThat(config.webhookSecret(ProviderKind.CARD_NETWORK)).isEmpty();
    }

    @Test
    void shouldReadTheSeedAndEveryMisbehaviourWhenSetInTheEnvironment() {
        SandboxConfig config = SandboxConfig.fromEnvironment(Map.ofEntries(
                Map.entry("NGAO_SANDBOX_SEED", "7"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_WEBHOOK_DUPLICATE_PERCENT", "1"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_WEBHOOK_REORDER_PERCENT", "2"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_WEBHOOK_DELAY_PERCENT", "3"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_WEBHOOK_DROP_PERCENT", "4"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_WEBHOOK_FORGE_PERCENT", "5"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_WEBHOOK_STALE_PERCENT", "6"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_WEBHOOK_DELAY_MS", "700"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_WEBHOOK_STALE_SECONDS", "900"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_PENDING_UNTIL_QUERIED_PERCENT", "8"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_REPORT_MISSING_PERCENT", "9"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_REPORT_EXTRA_PERCENT", "10"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_REPORT_DUPLICATED_PERCENT", "11"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_REPORT_AMOUNT_PERCENT", "12"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_REPORT_CURRENCY_PERCENT", "13"),
                Map.entry("NGAO_SANDBOX_MISBEHAVIOUR_REPORT_STATUS_PERCENT", "14"),
                Map.entry("NGAO_SANDBOX_MOBILE_MONEY_HUB_WEBHOOK_SECRET", "hub-webhook-secret-0123456789")));

        assertThat(config.misbehaviour()).isEqualTo(new Misbehaviour(7, 1, 2, 3, 4, 5, 6, Duration.ofMillis(700),
                Duration.ofSeconds(900), 8, 9, 10, 11, 12, 13, 14));
        assertThat(config.webhookSecret(ProviderKind.MOBILE_MONEY_HUB)).isEqualTo("hub-webhook-secret-0123456789");
    }

    @Test
    void shouldRefuseAPercentageAbove100NamingTheVariable() {
        assertThatThrownBy(() -> SandboxConfig.fromEnvironment(Map.of("NGAO_SANDBOX_MISBEHAVIOUR_WEBHOOK_DROP_PERCENT", "101")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_SANDBOX_MISBEHAVIOUR_WEBHOOK_DROP_PERCENT");
    }

    @Test
    void shouldWriteEachProvidersReportOnceItsOwnDayHasEndedWhenTheDailyRunComes(@TempDir Path reports) throws Exception {
        // Given 03:00 UTC on 2 March: the UTC day of 1 March has ended, Lima's (22:00 on 1 March) has not
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T03:00:00Z"));
        try (ProviderSandbox sandbox = new ProviderSandbox(new SandboxConfig(Map.of(SandboxConfig.REPORTS_DIR,
                reports.toString())), clock, (path, headers, body) -> null, sent -> { })) {

            List<Path> first = sandbox.writeClosedDays();
            List<Path> again = sandbox.writeClosedDays();

            assertThat(first).extracting(file -> file.getFileName().toString()).containsExactlyInAnyOrder(
                    "mobile-money-hub-2026-03-01.csv", "pagoefectivo-2026-02-28.csv", "card-network-2026-03-01.csv");
            assertThat(again).isEmpty();
        }
    }
}
