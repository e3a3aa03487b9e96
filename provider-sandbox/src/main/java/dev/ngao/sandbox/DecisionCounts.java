package dev.ngao.sandbox;

import dev.ngao.events.Outcome;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Decisions seen, by outcome. */
public final class DecisionCounts {

    private final Map<Outcome, AtomicLong> counts = new EnumMap<>(Outcome.class);

    public DecisionCounts() {
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, new AtomicLong());
        }
    }

    public void count(Outcome outcome) {
        counts.get(outcome).incrementAndGet();
    }

    public long of(Outcome outcome) {
        return counts.get(outcome).get();
    }

    public long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
