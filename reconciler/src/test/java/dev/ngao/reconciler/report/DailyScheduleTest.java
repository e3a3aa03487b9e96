package dev.ngao.reconciler.report;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class DailyScheduleTest {

    @Test
    void shouldFireAtTheNextLocalTimeWhenTodaysHasPassed() {
        // Given a run at 02:00 in Lima (07:00 UTC)
        DailySchedule schedule = new DailySchedule(LocalTime.of(2, 0), ZoneId.of("America/Lima"));

        // Then before it fires today, after it tomorrow, and exactly at it tomorrow too
        assertThat(schedule.nextAfter(Instant.parse("2026-11-21T06:59:00Z")))
                .isEqualTo(Instant.parse("2026-11-21T07:00:00Z"));
        assertThat(schedule.nextAfter(Instant.parse("2026-11-21T07:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-22T07:00:00Z"));
    }

    @Test
    void shouldReconcileEachProvidersPreviousDayInItsOwnZoneWhenFiring() {
        // Given a run firing at 03:00 UTC on the 21st, which is still the 20th in Lima
        Instant firedAt = Instant.parse("2026-11-21T03:00:00Z");

        // Then the hub's previous day is the 20th (UTC) and PagoEfectivo's the 19th (Lima)
        assertThat(DailySchedule.dayToReconcile("mobile-money-hub", firedAt)).isEqualTo(LocalDate.parse("2026-11-20"));
        assertThat(DailySchedule.dayToReconcile("pagoefectivo", firedAt)).isEqualTo(LocalDate.parse("2026-11-19"));
    }
}
