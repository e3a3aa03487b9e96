package dev.ngao.risk.bench;

import java.time.Instant;

/**
 * When each request of a phase is due: request i at origin + i / rate, whatever happened to the requests
 * before it (an open loop: a slow answer never delays the next send, so no coordinated omission). Nanosecond
 * times are {@link System#nanoTime()}, shared by the sender and the reader of one JVM; the same instants on
 * the wall clock go into the requests' requestedAt.
 */
record Schedule(long originNanos, long originEpochMillis, double periodNanos) {

    /** A schedule at {@code rate} per second starting {@code leadMillis} from now. */
    static Schedule startingIn(long leadMillis, int rate) {
        long nowNanos = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        return new Schedule(nowNanos + leadMillis * 1_000_000, nowMillis + leadMillis, 1e9 / rate);
    }

    long intendedNanos(long index) {
        return originNanos + Math.round(index * periodNanos);
    }

    Instant intendedInstant(long index) {
        return Instant.ofEpochMilli(originEpochMillis + (long) Math.floor(index * periodNanos / 1e6));
    }
}
