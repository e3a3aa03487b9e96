package dev.ngao.ingest.stop;

import dev.ngao.events.EmergencyStop;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Emergency stops as {@code risk.stops} holds them: keyed by {@code Topics.stopKey} ({@code GLOBAL||PAYOUTS},
 * {@code MERCHANT|m-1|ALL}, {@code PROVIDER|pagoefectivo|PAYOUTS}), the latest record of a key in force while
 * active. Setting and lifting write the same key, so both are idempotent and the latest write wins.
 */
public final class EmergencyStops {

    private EmergencyStops() {
    }

    /** The record that sets ({@code active}) or lifts the stop {@code command} names, by {@code apiKeyId}. */
    public static EmergencyStop change(EmergencyStopCommand command, boolean active, String apiKeyId, Instant changedAt) {
        return EmergencyStop.newBuilder()
                .setStopId(command.stopId())
                .setScope(command.scope())
                .setTarget(command.target())
                .setTraffic(command.traffic())
                .setActive(active)
                .setReason(command.reason())
                .setApiKeyId(apiKeyId)
                .setChangedAt(changedAt.truncatedTo(ChronoUnit.MILLIS))
                .build();
    }
}
