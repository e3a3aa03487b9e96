package dev.ngao.platform.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many failed stream threads a Kafka Streams client replaces before it gives up: at most {@code maximum}
 * within a sliding {@code window}. A broker away for a few minutes fails a thread now and then (each failure
 * comes after a client timeout, a minute by default); a failure that comes back at once, whatever the thread,
 * exhausts the bound in seconds and shuts the client down instead of looping. Thread-safe: stream threads fail
 * concurrently.
 */
final class ThreadReplacements {

    static final int MAXIMUM = 20;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private final int maximum;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> replaced = new ArrayDeque<>();

    ThreadReplacements(int maximum, Duration window, Clock clock) {
        if (maximum < 0) {
            throw new IllegalArgumentException("maximum must not be negative");
        }
        this.maximum = maximum;
        this.window = window;
        this.clock = clock;
    }

    /** Counts a replacement and answers true while fewer than the maximum happened within the window. */
    synchronized boolean allowAnother() {
        Instant now = clock.instant();
        while (!replaced.isEmpty() && !replaced.peekFirst().isAfter(now.minus(window))) {
            replaced.pollFirst();
        }
        if (replaced.size() >= maximum) {
            return false;
        }
        replaced.addLast(now);
        return true;
    }

    /** Replacements within the window, as of the last one. */
    synchronized int recent() {
        return replaced.size();
    }
}
