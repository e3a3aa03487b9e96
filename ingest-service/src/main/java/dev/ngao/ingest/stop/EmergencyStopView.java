package dev.ngao.ingest.stop;

import dev.ngao.events.EmergencyStop;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emergency stops in force, folded from {@code risk.stops} in log order: a record that is active puts its
 * stop, one that is not (a lift) or a tombstone removes it. Stops are few (one per scope, target and traffic
 * an operator named), so the view holds them all. Written by the follower's thread, read by handlers.
 */
public final class EmergencyStopView {

    private final Map<String, EmergencyStop> inForce = new ConcurrentHashMap<>();

    public void apply(EmergencyStop stop) {
        if (stop.getActive()) {
            inForce.put(stop.getStopId(), stop);
        } else {
            inForce.remove(stop.getStopId());
        }
    }

    /** A tombstone of {@code stopId}: compaction's way of forgetting a key; the stop is no longer in force. */
    public void remove(String stopId) {
        inForce.remove(stopId);
    }

    /** The stops in force, by stop id. */
    public List<EmergencyStop> inForce() {
        return inForce.values().stream().sorted(Comparator.comparing(EmergencyStop::getStopId)).toList();
    }
}
