package dev.ngao.ingest.cip;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * PagoEfectivo's payers live in Peru: their expiry is entered and shown in America/Lima (UTC-5, no daylight
 * saving since 1994), and stored as a UTC instant like every time in Ngao.
 */
public final class CipTime {

    public static final ZoneId ZONE = ZoneId.of("America/Lima");

    private CipTime() {
    }

    /** 2026-03-03T15:00:00Z -> 2026-03-03T10:00:00-05:00 (seconds always shown). */
    public static String localText(Instant instant) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(ZONE).toOffsetDateTime());
    }
}
