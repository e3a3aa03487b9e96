package dev.ngao.console;

import dev.ngao.console.account.Role;
import dev.ngao.platform.auth.RequestSigner;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Open sessions, in memory: each ends after {@code idle} without use, {@code absolute} after its sign-in however
 * much it is used, or when {@code max} newer ones push it out (least recently used first). A restart of the
 * console ends them all, which only means signing in again. Ids and CSRF tokens are 32 random bytes each.
 */
final class Sessions {

    private static final int TOKEN_BYTES = 32;

    private final Duration idle;
    private final Duration absolute;
    private final int max;
    private final Clock clock;
    private final SecureRandom random;
    /** Access order: the eldest entry is the least recently used session. */
    private final LinkedHashMap<String, Entry> open = new LinkedHashMap<>(16, 0.75f, true);

    private record Entry(AnalystSession session, Instant signedInAt, Instant lastUsed) {
    }

    Sessions(Duration idle, Duration absolute, int max, Clock clock, SecureRandom random) {
        this.idle = idle;
        this.absolute = absolute;
        this.max = max;
        this.clock = clock;
        this.random = random;
    }

    synchronized AnalystSession open(String username, Role role, String keyId, String merchantId, Set<String> scopes,
                                     RequestSigner signer) {
        AnalystSession session = new AnalystSession(token(), token(), username, role, keyId, merchantId, scopes, signer);
        Instant now = clock.instant();
        open.put(session.id(), new Entry(session, now, now));
        Iterator<Map.Entry<String, Entry>> eldest = open.entrySet().iterator();
        while (open.size() > max) {
            eldest.next();
            eldest.remove();
        }
        return session;
    }

    /**
     * The session of {@code id} if it is open, was used within the idle time and is younger than the absolute
     * limit; using it renews the idle time only.
     */
    synchronized Optional<AnalystSession> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Entry entry = open.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(entry.lastUsed().plus(idle)) || !now.isBefore(entry.signedInAt().plus(absolute))) {
            open.remove(id);
            return Optional.empty();
        }
        open.put(id, new Entry(entry.session(), entry.signedInAt(), now));
        return Optional.of(entry.session());
    }

    synchronized void close(String id) {
        if (id != null) {
            open.remove(id);
        }
    }

    synchronized int size() {
        return open.size();
    }

    private String token() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
