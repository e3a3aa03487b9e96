package dev.ngao.reconciler;

import dev.ngao.events.ProviderHealth;
import dev.ngao.platform.kafka.StreamsRunner;
import dev.ngao.providers.health.Heartbeat;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;

/** What the reconciler says about its own health (/health) and its providers' ({@value #PROVIDER_UP_METRIC}). */
final class ReconcilerHealth {

    /** Per provider: whether its health probe answers ({@link #upValue}). */
    static final String PROVIDER_UP_METRIC = "ngao.provider.up";

    private ReconcilerHealth() {
    }

    /**
     * Whether none of the Kafka Streams applications has stopped: one whose stream threads kept failing shuts
     * down while the process runs on, and /health must then say DOWN (before this, it answered 200 with the
     * matcher and the chaser gone).
     */
    static boolean serving(StreamsRunner... applications) {
        for (StreamsRunner application : applications) {
            if (application.terminated().isDone()) {
                return false;
            }
        }
        return true;
    }

    /** The provider-up gauge's value of a health: what an alert compares (NgaoProviderDown). */
    static double upValue(ProviderHealth health) {
        return switch (health) {
            case UP -> 1.0;
            case DOWN -> 0.0;
            default -> Double.NaN;
        };
    }

    /** One provider-up gauge per provider, read from the heartbeat. */
    static void registerProviderGauges(Heartbeat heartbeat, Collection<String> providers, MeterRegistry registry) {
        for (String provider : providers) {
            Gauge.builder(PROVIDER_UP_METRIC, heartbeat, beat -> upValue(beat.health(provider)))
                    .description("1 while the provider answers its health probe, 0 once it failed the probes "
                            + "that make it DOWN in a row; NaN before its first answer")
                    .tag("provider", provider)
                    .register(registry);
        }
    }
}
