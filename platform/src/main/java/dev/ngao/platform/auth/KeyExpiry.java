package dev.ngao.platform.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * When the API keys stop working: a key works until the last of its active secrets expires (a rotation keeps
 * two at once), so that is its expiry; revoked keys and keys whose secrets have all expired work no more and
 * are not counted. The figure behind the NgaoApiKeyExpiring alert, without key ids: an operator finds the key
 * with GET /v1/keys.
 */
public final class KeyExpiry {

    private KeyExpiry() {
    }

    /** Seconds from {@code now} to the soonest expiry of a working key; NaN when no key works. */
    public static double secondsUntilSoonest(Collection<ApiKey> keys, Instant now) {
        Instant soonest = null;
        for (ApiKey key : keys) {
            Instant worksUntil = null;
            for (KeySecret secret : key.activeSecrets(now)) {
                if (worksUntil == null || secret.expiresAt().isAfter(worksUntil)) {
                    worksUntil = secret.expiresAt();
                }
            }
            if (worksUntil != null && (soonest == null || worksUntil.isBefore(soonest))) {
                soonest = worksUntil;
            }
        }
        return soonest == null ? Double.NaN : Duration.between(now, soonest).toMillis() / 1000.0;
    }
}
