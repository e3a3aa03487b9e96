package dev.ngao.sandbox.provider;

import java.util.SplittableRandom;

/**
 * Seeded draws for one subject (a payment, a report): the same seed and subject give the same draws in
 * the same order whatever else the sandbox does, so outcomes do not depend on which request came first.
 */
final class Chance {

    private final SplittableRandom random;

    Chance(long seed, String subject) {
        // Mix the subject into the seed; String.hashCode is stable across JVMs by specification.
        long mixed = seed * 0x9E3779B97F4A7C15L + subject.hashCode() * 0xBF58476D1CE4E5B9L + subject.length();
        this.random = new SplittableRandom(mixed);
    }

    /** True {@code percent} times in 100; 0 never draws true, 100 always. */
    boolean percent(int percent) {
        int draw = random.nextInt(100);
        return draw < percent;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
