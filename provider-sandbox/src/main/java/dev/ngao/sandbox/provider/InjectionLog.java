package dev.ngao.sandbox.provider;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the sandbox injected in this run: a count per kind, and the first {@link #KEPT} injections
 * themselves (bounded: a long demo run does not grow it without end).
 */
public final class InjectionLog implements Consumer<Injection> {

    public static final int KEPT = 100_000;

    private final Map<Injection.Kind, Long> counts = new EnumMap<>(Injection.Kind.class);
    private final List<Injection> kept = new ArrayList<>();

    @Override
    public synchronized void accept(Injection injection) {
        counts.merge(injection.kind(), 1L, Long::sum);
        if (kept.size() < KEPT) {
            kept.add(injection);
        }
    }

    public synchronized long count(Injection.Kind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    public synchronized List<Injection> all() {
        return List.copyOf(kept);
    }

    public synchronized List<Injection> of(Injection.Kind kind) {
        return kept.stream().filter(injection -> injection.kind() == kind).toList();
    }
}
