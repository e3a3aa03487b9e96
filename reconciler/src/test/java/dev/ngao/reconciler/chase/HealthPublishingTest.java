package dev.ngao.reconciler.chase;

import dev.ngao.events.ProviderHealth;
import dev.ngao.events.ProviderHealthEvent;
import dev.ngao.platform.testing.MutableClock;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.health.Heartbeat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HealthPublishingTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
    private final List<ProviderHealthEvent> written = new ArrayList<>();

    @Test
    void shouldWriteOnlyTheChangesWhenAProviderGoesDownAndComesBack() {
        // Given the heartbeat the reconciler runs, writing health events, over a provider that answers twice,
        // fails four times (unhealthy, refused, refused, refused), then answers twice; down after two failures
        FakeAdapter hub = new FakeAdapter(ProviderKind.MOBILE_MONEY_HUB)
                .probing(true, true, false, null, null, null, true, true);
        Heartbeat heartbeat = new Heartbeat(List.of(hub), 2, transition -> written.add(transition.toEvent()),
                clock);

        // When probed eight times
        for (int probe = 0; probe < 8; probe++) {
            heartbeat.probeAll().join();
            clock.advance(Duration.ofSeconds(30));
        }

        // Then three events were written: first seen UP, DOWN at the second failure, UP again
        assertThat(written).extracting(ProviderHealthEvent::getStatus)
                .containsExactly(ProviderHealth.UP, ProviderHealth.DOWN, ProviderHealth.UP);
        assertThat(written).extracting(ProviderHealthEvent::getPreviousStatus)
                .containsExactly(ProviderHealth.UNKNOWN, ProviderHealth.UP, ProviderHealth.DOWN);
        assertThat(written).extracting(ProviderHealthEvent::getProvider).containsOnly("mobile-money-hub");
        ProviderHealthEvent down = written.get(1);
        assertThat(down.getConsecutiveFailures()).isEqualTo(2);
        assertThat(down.getObservedAt()).isEqualTo(Instant.parse("2026-11-20T10:01:30Z"));
        assertThat(down.getDetail()).doesNotContain("secret");
    }

    @Test
    void shouldWriteNothingMoreWhenTheHealthStaysTheSame() {
        // Given a provider that always answers
        FakeAdapter hub = new FakeAdapter(ProviderKind.MOBILE_MONEY_HUB).probing(true);
        Heartbeat heartbeat = new Heartbeat(List.of(hub), 3, transition -> written.add(transition.toEvent()),
                clock);

        // When probed five times, then only the first observation is written
        for (int probe = 0; probe < 5; probe++) {
            heartbeat.probeAll().join();
        }
        assertThat(written).extracting(ProviderHealthEvent::getStatus).containsExactly(ProviderHealth.UP);
    }
}
