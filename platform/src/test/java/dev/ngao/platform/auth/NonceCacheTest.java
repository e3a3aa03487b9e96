package dev.ngao.platform.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NonceCacheTest {

    @Test
    void shouldRefuseNonceSeenWithinItsWindowAndForgetItAfterwards() {
        NonceCache cache = new NonceCache(10);

        assertThat(cache.claim("key-a", "nonce-0000000001", 1_300, 1_000)).isEqualTo(NonceCache.Claim.FRESH);
        assertThat(cache.claim("key-a", "nonce-0000000001", 1_300, 1_300)).isEqualTo(NonceCache.Claim.REPLAYED);
        assertThat(cache.claim("key-a", "nonce-0000000001", 1_300, 1_301)).isEqualTo(NonceCache.Claim.FRESH);
    }

    @Test
    void shouldKeepNoncesOfDifferentKeysApart() {
        NonceCache cache = new NonceCache(10);

        assertThat(cache.claim("key-a", "nonce-0000000001", 1_300, 1_000)).isEqualTo(NonceCache.Claim.FRESH);
        assertThat(cache.claim("key-b", "nonce-0000000001", 1_300, 1_000)).isEqualTo(NonceCache.Claim.FRESH);
    }

    @Test
    void shouldRefuseRatherThanForgetWhenFullOfLiveNonces() {
        // Given a cache of two, both live
        NonceCache cache = new NonceCache(2);
        cache.claim("key-a", "nonce-0000000001", 1_300, 1_000);
        cache.claim("key-a", "nonce-0000000002", 1_400, 1_000);

        // Then a third is refused, and the first is still known as seen
        assertThat(cache.claim("key-a", "nonce-0000000003", 1_300, 1_000)).isEqualTo(NonceCache.Claim.FULL);
        assertThat(cache.claim("key-a", "nonce-0000000001", 1_300, 1_000)).isEqualTo(NonceCache.Claim.REPLAYED);

        // And once the first expired there is room again
        assertThat(cache.claim("key-a", "nonce-0000000003", 1_600, 1_350)).isEqualTo(NonceCache.Claim.FRESH);
        assertThat(cache.size()).isEqualTo(2);
    }
}
