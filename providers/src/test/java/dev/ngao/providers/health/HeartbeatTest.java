package dev.ngao.providers.health;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderHealth;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.http.ProviderCallException;
import dev.ngao.providers.report.SettlementReportFormat;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatTest {

    /** An adapter whose probe answers as the test says. */
    private static final class ScriptedProbe implements ProviderAdapter {
        private final ProviderKind kind;
        private boolean up = true;

        ScriptedProbe(ProviderKind kind) {
            this.kind = kind;
        }

        @Override
        public ProviderKind kind() {
            return kind;
        }

        @Override
        public CompletionStage<ProviderStatusResult> submit(PaymentRequest request, String idempotencyKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<ProviderStatusResult> queryStatus(String transactionId, String providerReference) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Boolean> probe() {
            return up ? CompletableFuture.completedFuture(true)
                    : CompletableFuture.failedFuture(ProviderCallException.status(kind.id(), "probe", 503, null));
        }

        @Override
        public SettlementReportFormat reportFormat() {
            throw new UnsupportedOperationException();
        }
    }

    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void shouldReportUpThenDownAfterTheThresholdThenUpAgainWhenTheProviderFailsAndRecovers() {
        // Given a hub and a card network, DOWN after 3 failed probes in a row
        ScriptedProbe hub = new ScriptedProbe(ProviderKind.MOBILE_MONEY_HUB);
        ScriptedProbe card = new ScriptedProbe(ProviderKind.CARD_NETWORK);
        List<HealthTransition> transitions = new ArrayList<>();
        Heartbeat heartbeat = new Heartbeat(List.of(hub, card), 3, transitions::add, clock);

        // When both answer, Then each is reported UP once
        heartbeat.probeAll().join();
        heartbeat.probeAll().join();
        assertThat(transitions).extracting(HealthTransition::provider, HealthTransition::previous, HealthTransition::current)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("mobile-money-hub", ProviderHealth.UNKNOWN, ProviderHealth.UP),
                        org.assertj.core.groups.Tuple.tuple("card-network", ProviderHealth.UNKNOWN, ProviderHealth.UP));
        transitions.clear();

        // When the hub fails twice, Then nothing is reported yet
        hub.up = false;
        heartbeat.probeAll().join();
        heartbeat.probeAll().join();
        assertThat(transitions).isEmpty();
        assertThat(heartbeat.health("mobile-money-hub")).isEqualTo(ProviderHealth.UP);

        // When it fails a third and a fourth time, Then it is reported DOWN once, with why
        heartbeat.probeAll().join();
        heartbeat.probeAll().join();
        assertThat(transitions).singleElement().satisfies(transition -> {
            assertThat(transition.provider()).isEqualTo("mobile-money-hub");
            assertThat(transition.previous()).isEqualTo(ProviderHealth.UP);
            assertThat(transition.current()).isEqualTo(ProviderHealth.DOWN);
            assertThat(transition.consecutiveFailures()).isEqualTo(3);
            assertThat(transition.detail()).contains("HTTP 503");
            assertThat(transition.observedAt()).isEqualTo(clock.instant());
            assertThat(transition.toEvent().getStatus()).isEqualTo(ProviderHealth.DOWN);
            assertThat(transition.toEvent().getPreviousStatus()).isEqualTo(ProviderHealth.UP);
            assertThat(transition.toEvent().getProvider()).isEqualTo("mobile-money-hub");
        });
        transitions.clear();

        // When it answers again, Then it is reported UP, and the card network never changed
        hub.up = true;
        heartbeat.probeAll().join();
        assertThat(transitions).singleElement().satisfies(transition -> {
            assertThat(transition.previous()).isEqualTo(ProviderHealth.DOWN);
            assertThat(transition.current()).isEqualTo(ProviderHealth.UP);
            assertThat(transition.consecutiveFailures()).isZero();
        });
        assertThat(heartbeat.health("card-network")).isEqualTo(ProviderHealth.UP);
    }

    @Test
    void shouldNotReportDownWhenFailuresAreNotConsecutive() {
        ScriptedProbe hub = new ScriptedProbe(ProviderKind.MOBILE_MONEY_HUB);
        List<HealthTransition> transitions = new ArrayList<>();
        Heartbeat heartbeat = new Heartbeat(List.of(hub), 2, transitions::add, clock);

        for (boolean up : new boolean[]{true, false, true, false, true}) {
            hub.up = up;
            heartbeat.probeAll().join();
        }

        assertThat(transitions).extracting(HealthTransition::current).containsExactly(ProviderHealth.UP);
    }

    @Test
    void shouldReportDownFromUnknownWhenTheProviderNeverAnswered() {
        ScriptedProbe hub = new ScriptedProbe(ProviderKind.PAGOEFECTIVO);
        hub.up = false;
        List<HealthTransition> transitions = new ArrayList<>();
        Heartbeat heartbeat = new Heartbeat(List.of(hub), 1, transitions::add, clock);

        heartbeat.probeAll().join();

        assertThat(transitions).extracting(HealthTransition::previous, HealthTransition::current)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ProviderHealth.UNKNOWN, ProviderHealth.DOWN));
    }
}
