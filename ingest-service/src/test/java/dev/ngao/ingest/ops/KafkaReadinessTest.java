package dev.ngao.ingest.ops;

import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaReadinessTest {

    private static final Duration INTERVAL = Duration.ofSeconds(5);

    @Test
    void shouldNotBeReadyBeforeFirstCheck() {
        KafkaReadiness readiness = new KafkaReadiness(() -> true, INTERVAL, Clock.systemUTC());

        assertThat(readiness.ready()).isFalse();
    }

    @Test
    void shouldFollowProbeWhenItAnswersFailsOrThrows() {
        AtomicBoolean reachable = new AtomicBoolean(true);
        AtomicBoolean throwing = new AtomicBoolean(false);
        KafkaReadiness readiness = new KafkaReadiness(() -> {
            if (throwing.get()) {
                throw new IllegalStateException("cluster unknown");
            }
            return reachable.get();
        }, INTERVAL, Clock.systemUTC());

        readiness.check();
        assertThat(readiness.ready()).isTrue();

        reachable.set(false);
        readiness.check();
        assertThat(readiness.ready()).isFalse();

        reachable.set(true);
        throwing.set(true);
        readiness.check();
        assertThat(readiness.ready()).isFalse();
    }

    @Test
    void shouldNotBeReadyWhenLastAnswerIsStale() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        KafkaReadiness readiness = new KafkaReadiness(() -> true, INTERVAL, clock);
        readiness.check();

        clock.now = clock.now.plus(INTERVAL.multipliedBy(3));

        assertThat(readiness.ready()).isFalse();
    }

    @Test
    void shouldNotBeReadyWhenKafkaPortIsClosed() throws Exception {
        // Given an admin client pointed at a port nothing listens on
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KafkaSettings settings = new KafkaSettings(Map.of(
                KafkaSettings.BOOTSTRAP_SERVERS, "127.0.0.1:" + closedPort,
                KafkaSettings.SCHEMA_REGISTRY_URL, "mock://readiness-test"));
        try (AdminClusterProbe probe = AdminClusterProbe.connect(settings, "readiness-test", Duration.ofMillis(500))) {
            KafkaReadiness readiness = new KafkaReadiness(probe, INTERVAL, Clock.systemUTC());

            // When it is checked
            readiness.check();

            // Then Kafka is not ready, within the probe's timeout
            assertThat(readiness.ready()).isFalse();
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
