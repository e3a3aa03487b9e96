package dev.ngao.notifier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The notifier's counters, since start; labels take a handful of values (outcomes), never an id. */
final class NotifierMetrics {

    static final String DELIVERIES = "ngao.notifier.deliveries";
    static final String ATTEMPTS = "ngao.notifier.attempts";
    static final String DUPLICATES = "ngao.notifier.duplicates";

    private final Map<DeliveryStatus, Counter> finished = new EnumMap<>(DeliveryStatus.class);
    private final Counter acknowledgedAttempts;
    private final Counter failedAttempts;
    private final Counter duplicates;

    NotifierMetrics(MeterRegistry registry) {
        for (DeliveryStatus status : new DeliveryStatus[]{DeliveryStatus.ACKNOWLEDGED, DeliveryStatus.GAVE_UP,
                DeliveryStatus.NO_ENDPOINT}) {
            finished.put(status, Counter.builder(DELIVERIES).tag("outcome", status.name().toLowerCase(Locale.ROOT))
                    .description("Deliveries that reached a final outcome").register(registry));
        }
        acknowledgedAttempts = Counter.builder(ATTEMPTS).tag("result", "acknowledged")
                .description("Delivery attempts, by result").register(registry);
        failedAttempts = Counter.builder(ATTEMPTS).tag("result", "failed")
                .description("Delivery attempts, by result").register(registry);
        duplicates = Counter.builder(DUPLICATES)
                .description("Final statuses read again (replays, duplicate provider events) and not sent again")
                .register(registry);
    }

    void finished(DeliveryStatus status) {
        Counter counter = finished.get(status);
        if (counter != null) {
            counter.increment();
        }
    }

    void attempted(boolean acknowledged) {
        (acknowledged ? acknowledgedAttempts : failedAttempts).increment();
    }

    void duplicate() {
        duplicates.increment();
    }
}
