package dev.ngao.console;

import dev.ngao.console.account.Role;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SessionsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final Sessions sessions = new Sessions(Duration.ofMinutes(30), Duration.ofHours(12), 2, clock,
            new SecureRandom());

    @Test
    void shouldEndASessionUnusedForTheIdleTimeAndRenewOneInUse() {
        AnalystSession used = open("key-1");
        AnalystSession idle = open("key-2");

        clock.advance(Duration.ofMinutes(20));
        assertThat(sessions.find(used.id())).isPresent();
        clock.advance(Duration.ofMinutes(20));

        assertThat(sessions.find(used.id())).isPresent();
        assertThat(sessions.find(idle.id())).isEmpty();
    }

    @Test
    void shouldEndASessionAtTheAbsoluteLimitHoweverMuchItIsUsed() {
        AnalystSession session = open("key-1");

        for (int minutes = 0; minutes < 11 * 60 + 50; minutes += 10) {
            clock.advance(Duration.ofMinutes(10));
            assertThat(sessions.find(session.id())).as("after %d min", minutes + 10).isPresent();
        }
        clock.set(Instant.parse("2026-12-01T20:00:00Z"));

        assertThat(sessions.find(session.id())).isEmpty();
    }

    @Test
    void shouldEndTheLeastRecentlyUsedSessionWhenMoreThanTheMaximumOpen() {
        AnalystSession first = open("key-1");
        AnalystSession second = open("key-2");
        sessions.find(first.id());

        AnalystSession third = open("key-3");

        assertThat(sessions.find(second.id())).isEmpty();
        assertThat(sessions.find(first.id())).isPresent();
        assertThat(sessions.find(third.id())).isPresent();
    }

    @Test
    void shouldGiveEverySessionItsOwnUnguessableIdAndTokenAndNeverShowTheSecret() {
        AnalystSession one = open("key-1");
        AnalystSession two = open("key-1");

        assertThat(one.id()).isNotEqualTo(two.id()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(one.csrfToken()).isNotEqualTo(one.id()).isNotEqualTo(two.csrfToken());
        assertThat(one.toString()).doesNotContain("the-secret").doesNotContain(one.id());
    }

    @Test
    void shouldEndASessionWhenClosed() {
        AnalystSession session = open("key-1");

        sessions.close(session.id());

        assertThat(sessions.find(session.id())).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
    }

    private AnalystSession open(String keyId) {
        return sessions.open("alice", Role.ANALYST, keyId, "merchant-a", Set.of(AnalystSession.REVIEWS_RESOLVE),
                new RequestSigner(keyId, "the-secret"));
    }
}
