package dev.ngao.platform.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KeyExpiryTest {

    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");

    @Test
    void shouldTakeEachKeysLastActiveSecretAndTheSoonestOfThoseKeys() {
        // Given a rotating key (an old secret in 2 days, the new one in 90), a key whose only secret expires in 10
        // days, a revoked key and a key whose secrets have all expired
        ApiKey rotating = key("rotating", secret("old", Duration.ofDays(2)), secret("new", Duration.ofDays(90)));
        ApiKey ending = key("ending", secret("only", Duration.ofDays(10)));
        ApiKey revoked = key("revoked", secret("s", Duration.ofDays(1))).revoked(NOW.minusSeconds(60));
        ApiKey expired = key("expired", secret("s", Duration.ofDays(-1)));

        // Then the soonest is the key ending in 10 days: the rotating key works until its new secret expires
        assertThat(KeyExpiry.secondsUntilSoonest(List.of(rotating, ending, revoked, expired), NOW))
                .isEqualTo(Duration.ofDays(10).toSeconds());
        assertThat(KeyExpiry.secondsUntilSoonest(List.of(rotating), NOW)).isEqualTo(Duration.ofDays(90).toSeconds());
    }

    @Test
    void shouldBeNotANumberWhenNoKeyWorks() {
        assertThat(KeyExpiry.secondsUntilSoonest(List.of(), NOW)).isNaN();
        assertThat(KeyExpiry.secondsUntilSoonest(List.of(key("expired", secret("s", Duration.ofDays(-1)))), NOW))
                .isNaN();
    }

    private static KeySecret secret(String id, Duration expiresIn) {
        return new KeySecret(id, new byte[32], NOW.minus(Duration.ofDays(100)), NOW.plus(expiresIn));
    }

    private static ApiKey key(String id, KeySecret... secrets) {
        return new ApiKey(id, "merchant-1", Environment.SANDBOX, Set.of("payments:write"), List.of(), Set.of(),
                List.of(secrets), NOW.minus(Duration.ofDays(100)), NOW.minus(Duration.ofDays(100)), null);
    }
}
