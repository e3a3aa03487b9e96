package dev.ngao.reconciler.report;

import dev.ngao.reconciler.view.ViewPayment;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When the daily run fires, and which day it reconciles: at a local time in a named zone, each provider's
 * previous settlement day in the provider's own zone (a PagoEfectivo day is a Lima day whatever zone the
 * schedule is in).
 */
public record DailySchedule(LocalTime time, ZoneId zone) {

    /** The next firing strictly after {@code now}. */
    public Instant nextAfter(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime candidate = local.toLocalDate().atTime(time).atZone(zone);
        if (!candidate.toInstant().isAfter(now)) {
            candidate = local.toLocalDate().plusDays(1).atTime(time).atZone(zone);
        }
        return candidate.toInstant();
    }

    public Duration delayUntilNext(Instant now) {
        return Duration.between(now, nextAfter(now));
    }

    /** The settlement day a run firing at {@code firedAt} reconciles for {@code provider}: the day before, there. */
    public static LocalDate dayToReconcile(String provider, Instant firedAt) {
        return firedAt.atZone(ViewPayment.zoneOf(provider)).toLocalDate().minusDays(1);
    }
}
