package dev.ngao.reconciler.chase;

import dev.ngao.events.ProviderHealth;
import dev.ngao.events.ProviderHealthEvent;
import dev.ngao.providers.ProviderKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderHeartbeatTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
    private final List<ProviderHealthEvent> written = new ArrayList<>();

    @Test
    void shouldWriteOnlyTheChangesWhenAProviderGoesDownAndComesBack() {
        // Given a provider that answers twice, fails four times, then answers twice; down after two failures
        FakeAdapter hub = new FakeAdapter(ProviderKind.MOBILE_MONEY_HUB)
                .probing(true, true, null, false, null, null, true, true);
        ProviderHeartbeat heartbeat = new ProviderHeartbeat(Map.of("mobile-money-hub", hub), written::add, clock,
                Duration.ofSeconds(1), 2);

        // When probed eight times
        for (int probe = 0; probe < 8; probe++) {
            heartbeat.probeOnce();
            clock.advance(Duration.ofSeconds(30));
        }

        // Then three changes were written: first seen UP, DOWN at the second failure, UP again
        assertThat(written).extracting(ProviderHealthEvent::getStatus)
                .containsExactly(ProviderHealth.UP, ProviderHealth.DOWN, ProviderHealth.UP);
        assertThat(written).extracting(ProviderHealthEvent::getPreviousStatus)
                .containsExactly(ProviderHealth.UNKNOWN, ProviderHealth.UP, ProviderHealth.DOWN);
        ProviderHealthEvent down = written.get(1);
        assertThat(down.getConsecutiveFailures()).isEqualTo(2);
        assertThat(down.getDetail()).isEqualTo("probe answered unhealthy");
        assertThat(down.getObservedAt()).isEqualTo(Instant.parse("2026-11-20T10:01:30Z"));
        assertThat(heartbeat.healthOf("mobile-money-hub")).isEqualTo(ProviderHealth.UP);
    }

    @Test
    void shouldWriteNothingMoreWhenTheHealthStaysTheSame() {
        // Given a provider that always answers
        FakeAdapter hub = new FakeAdapter(ProviderKind.MOBILE_MONEY_HUB).probing(true);
        ProviderHeartbeat heartbeat = new ProviderHeartbeat(Map.of("mobile-money-hub", hub), written::add, clock,
                Duration.ofSeconds(1), 3);

        // When probed five times, then only the first observation is written
        for (int probe = 0; probe < 5; probe++) {
            heartbeat.probeOnce();
        }
        assertThat(written).hasSize(1);
    }

    @Test
    void shouldRetryTheChangeWhenWritingItFailed() {
        // Given a sink that fails once, and a provider that is down from the start
        FakeAdapter hub = new FakeAdapter(ProviderKind.MOBILE_MONEY_HUB).probing((Boolean) null);
        int[] calls = {0};
        ProviderHeartbeat heartbeat = new ProviderHeartbeat(Map.of("mobile-money-hub", hub), event -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("broker unavailable");
            }
            written.add(event);
        }, clock, Duration.ofSeconds(1), 1);

        // When probed twice, then the DOWN change is written by the second probe
        heartbeat.probeOnce();
        heartbeat.probeOnce();
        assertThat(written).extracting(ProviderHealthEvent::getStatus).containsExactly(ProviderHealth.DOWN);
        assertThat(written.get(0).getDetail()).isEqualTo("probe failed: ConnectException");
    }
}
