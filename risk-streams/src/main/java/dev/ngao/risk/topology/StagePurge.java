package dev.ngao.risk.topology;

import dev.ngao.rules.Interval;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Forgets what a stage no longer needs, at most {@code maxPerStore} entries per store per run: usage
 * counters whose period ended more than the usage retention ago (ALL_TIME never ends), velocity and
 * distinct observations older than their retention, reservations older than the replay retention, and for
 * the account its approved history and devices past theirs.
 */
final class StagePurge {

    private static final Logger LOG = LoggerFactory.getLogger(StagePurge.class);

    private StagePurge() {
    }

    static void run(StageStores stores, TopologyOptions options, long nowMs, String stageName) {
        int max = options.maxPurgedPerRun();
        Instant now = Instant.ofEpochMilli(nowMs);
        Instant usageCutoff = now.minus(options.usageRetention());
        long observationCutoffMs = nowMs - options.velocityRetention().toMillis();
        long reservationCutoffMs = nowMs - options.replayRetention().toMillis();
        int usage = StorePurge.deleteMatching(stores.usage(), max,
                (key, reserved) -> periodEnd(key).map(end -> end.isBefore(usageCutoff)).orElse(false));
        int velocity = StorePurge.deleteMatching(stores.velocity(), max,
                (key, value) -> StoreKeys.velocityTime(key) < observationCutoffMs);
        int distinct = StorePurge.deleteMatching(stores.distinct(), max,
                (key, lastSeenMs) -> lastSeenMs < observationCutoffMs);
        int reservations = StorePurge.deleteMatching(stores.reservations(), max,
                (key, reservation) -> reservation.getReservedAtMs() < reservationCutoffMs);
        int history = 0;
        int devices = 0;
        if (stores.history() != null) {
            LocalDate oldestDay = LocalDate.ofInstant(now.minus(options.historyRetention()), ZoneOffset.UTC);
            history = StorePurge.deleteMatching(stores.history(), max,
                    (key, approved) -> day(StoreKeys.lastSegment(key)).map(day -> day.isBefore(oldestDay)).orElse(false));
            long deviceCutoffMs = nowMs - options.deviceRetention().toMillis();
            devices = StorePurge.deleteMatching(stores.devices(), max, (key, lastSeenMs) -> lastSeenMs < deviceCutoffMs);
        }
        if (usage + velocity + distinct + reservations + history + devices > 0) {
            LOG.info("Purged from the {} stage: {} usage counters, {} velocity and {} distinct observations, "
                    + "{} reservations, {} history days, {} devices", stageName, usage, velocity, distinct,
                    reservations, history, devices);
        }
    }

    /** When the period of a usage key ({@code ...|INTERVAL|zone|start}) ends; empty for ALL_TIME or unknown keys. */
    static Optional<Instant> periodEnd(String usageKey) {
        String[] segments = usageKey.split("\\|");
        if (segments.length < 3) {
            return Optional.empty();
        }
        try {
            Interval interval = Interval.valueOf(segments[segments.length - 3]);
            ZoneId zone = ZoneId.of(segments[segments.length - 2]);
            LocalDate start = LocalDate.parse(segments[segments.length - 1]);
            LocalDate end = switch (interval) {
                case DAY -> start.plusDays(1);
                case WEEK -> start.plusWeeks(1);
                case MONTH -> start.plusMonths(1);
                case ALL_TIME -> null;
            };
            return Optional.ofNullable(end).map(day -> day.atStartOfDay(zone).toInstant());
        } catch (IllegalArgumentException | DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<LocalDate> day(String text) {
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
