package dev.ngao.ingest.stop;

import dev.ngao.events.StopScope;
import dev.ngao.events.StopTraffic;
import dev.ngao.schemas.topics.Topics;

/**
 * A set or lift of an emergency stop that passed every rule: what it covers and why.
 *
 * @param target the merchant or provider id; null for {@link StopScope#GLOBAL}
 */
public record EmergencyStopCommand(StopScope scope, String target, StopTraffic traffic, String reason) {

    /** The record key on {@code risk.stops}, and the stop's id: {@code scope|target|traffic}. */
    public String stopId() {
        return Topics.stopKey(scope, target, traffic);
    }
}
