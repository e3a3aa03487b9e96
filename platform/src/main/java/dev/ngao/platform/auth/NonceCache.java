package dev.ngao.platform.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Nonces seen within the timestamp window, per key, so a captured request cannot be sent again. A nonce
 * is remembered until its request's timestamp leaves the window (timestamp + tolerance): after that the
 * timestamp check refuses the replay on its own. Bounded: when full of live nonces it refuses new ones
 * ({@link Claim#FULL}) rather than forget one early, because forgetting would let that request be replayed.
 * Per instance: a replay sent to another instance (or service) within the window is not caught here.
 */
public final class NonceCache {

    public enum Claim {
        /** First sighting: the request may proceed. */
        FRESH,
        /** Seen before within the window: a replay. */
        REPLAYED,
        /** Too many live nonces to remember another; the request is refused for now. */
        FULL
    }

    private record Expiry(long expiresAtSeconds, String entry) {
    }

    private final int maximumEntries;
    private final Map<String, Long> expiryByEntry = new HashMap<>();
    private final PriorityQueue<Expiry> byExpiry = new PriorityQueue<>(
            (a, b) -> Long.compare(a.expiresAtSeconds(), b.expiresAtSeconds()));

    public NonceCache(int maximumEntries) {
        if (maximumEntries < 1) {
            throw new IllegalArgumentException("the nonce cache needs room for at least one nonce");
        }
        this.maximumEntries = maximumEntries;
    }

    /**
     * Records {@code nonce} of {@code keyId} until {@code expiresAtSeconds}, unless already there.
     *
     * @param nowSeconds the current time, for dropping what has expired
     */
    public synchronized Claim claim(String keyId, String nonce, long expiresAtSeconds, long nowSeconds) {
        evictExpired(nowSeconds);
        String entry = keyId + "\0" + nonce;
        if (expiryByEntry.containsKey(entry)) {
            return Claim.REPLAYED;
        }
        if (expiryByEntry.size() >= maximumEntries) {
            return Claim.FULL;
        }
        expiryByEntry.put(entry, expiresAtSeconds);
        byExpiry.add(new Expiry(expiresAtSeconds, entry));
        return Claim.FRESH;
    }

    public synchronized int size() {
        return expiryByEntry.size();
    }

    private void evictExpired(long nowSeconds) {
        while (!byExpiry.isEmpty() && byExpiry.peek().expiresAtSeconds() < nowSeconds) {
            expiryByEntry.remove(byExpiry.poll().entry());
        }
    }
}
