package dev.ngao.notifier;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class RetryScheduleTest {

    private static final Instant FIRST_ATTEMPT = Instant.parse("2025-01-15T10:00:00Z");
    private final RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(5), Duration.ofHours(1),
            Duration.ofHours(72));

    @Test
    void shouldDoubleTheCeilingPerFailureWhenBelowTheMaximum() {
        assertThat(schedule.backoffCeiling(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(schedule.backoffCeiling(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(schedule.backoffCeiling(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(schedule.backoffCeiling(10)).isEqualTo(Duration.ofSeconds(2_560));
        assertThat(schedule.backoffCeiling(11)).isEqualTo(Duration.ofHours(1));
        assertThat(schedule.backoffCeiling(1_000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldDrawEveryWaitBetweenZeroAndTheCeilingWhenJittering() {
        // Given
        RandomGenerator random = new SplittableRandom(42);
        Instant now = FIRST_ATTEMPT.plusSeconds(60);

        for (int failures = 1; failures <= 15; failures++) {
            long ceilingMs = schedule.backoffCeiling(failures).toMillis();
            long shortest = Long.MAX_VALUE;
            long longest = 0;
            for (int draw = 0; draw < 2_000; draw++) {
                // When
                Instant next = schedule.nextAttempt(failures, FIRST_ATTEMPT, now, random).orElseThrow();

                // Then
                long waitMs = Duration.between(now, next).toMillis();
                assertThat(waitMs).isBetween(0L, ceilingMs);
                shortest = Math.min(shortest, waitMs);
                longest = Math.max(longest, waitMs);
            }
            // Full jitter spreads over the whole range, not around the ceiling.
            assertThat(shortest).as("shortest wait after %d failures", failures).isLessThan(ceilingMs / 10);
            assertThat(longest).as("longest wait after %d failures", failures).isGreaterThan(ceilingMs * 9 / 10);
        }
    }

    @Test
    void shouldMakeTheLastAttemptAtTheDeadlineWhenTheDrawFallsPastIt() {
        // Given: 10 minutes before the deadline, with a ceiling of an hour
        Instant now = FIRST_ATTEMPT.plus(Duration.ofHours(72)).minus(Duration.ofMinutes(10));
        RandomGenerator alwaysLongest = new RandomGenerator() {
            @Override
            public long nextLong() {
                return Long.MAX_VALUE;
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };

        // When
        Instant next = schedule.nextAttempt(20, FIRST_ATTEMPT, now, alwaysLongest).orElseThrow();

        // Then
        assertThat(next).isEqualTo(schedule.deadline(FIRST_ATTEMPT));
    }

    @Test
    void shouldGiveUpWhenTheDeadlineHasCome() {
        Instant deadline = FIRST_ATTEMPT.plus(Duration.ofHours(72));

        assertThat(schedule.nextAttempt(30, FIRST_ATTEMPT, deadline, new SplittableRandom(1))).isEmpty();
        assertThat(schedule.nextAttempt(30, FIRST_ATTEMPT, deadline.plusSeconds(1), new SplittableRandom(1))).isEmpty();
        assertThat(schedule.nextAttempt(30, FIRST_ATTEMPT, deadline.minusMillis(1), new SplittableRandom(1)))
                .isPresent();
    }

    @Test
    void shouldGiveUpWithinTheDocumentedPeriodWhenEveryAttemptFails() {
        // Given: a merchant that never answers, attempts following the schedule's own draws
        RandomGenerator random = new SplittableRandom(7);
        Instant now = FIRST_ATTEMPT;
        int failures = 0;

        // When
        while (true) {
            failures++;
            var next = schedule.nextAttempt(failures, FIRST_ATTEMPT, now, random);
            if (next.isEmpty()) {
                break;
            }
            now = next.get();
        }

        // Then
        assertThat(now).isEqualTo(FIRST_ATTEMPT.plus(Duration.ofHours(72)));
        assertThat(failures).isBetween(50, 1_000);
    }
}
