package dev.ngao.risk.topology;

import dev.ngao.events.Outcome;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.Interval;
import dev.ngao.events.RuleAction;
import dev.ngao.rules.UsageKey;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.RiskDriver.rule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An account's calendar counters in its latest day record ({@link UsageCounters}): a decision's attempt and its
 * counters are one changelog record whatever the number of counters, carried from day to day, and the counters
 * of the earlier layout (one window record per counter) carried into it once.
 */
class UsageRecordsTest {

    private static final String MERCHANT = "merchant-1";
    private static final long DAILY = 10_000L;
    private static final long WEEKLY = 25_000L;
    /** A Tuesday: the week started on Monday the 9th. */
    private static final Instant MORNING = Instant.parse("2026-03-10T08:00:00Z");
    private static final ZoneId UTC = ZoneId.of("UTC");

    @TempDir
    Path stateDirectory;

    private RiskDriver risk;

    @BeforeEach
    void start() {
        risk = new RiskDriver(stateDirectory);
        risk.publish(MERCHANT, "usage-v1",
                rule("account-daily", "limit", "{\"interval\": \"DAY\", \"limits\": {\"KES\": " + DAILY + "}}",
                        RuleAction.BLOCK),
                rule("account-weekly", "limit", "{\"interval\": \"WEEK\", \"limits\": {\"KES\": " + WEEKLY + "}}",
                        RuleAction.BLOCK));
    }

    @AfterEach
    void stop() {
        risk.close();
    }

    private static String key(String account, Interval interval, Instant at) {
        return new UsageKey(Dimension.ACCOUNT, account, "KES", interval, UTC, interval.periodStart(at, UTC)).storeKey();
    }

    @Test
    void shouldWriteTheAttemptAndEveryCounterAsOneRecordPerDecision() {
        // When an approval reserves on the account's daily and weekly counters
        assertThat(risk.decide(request("tx-1", "acct-a", 4_000L, "KES", MORNING)).getOutcome())
                .isEqualTo(Outcome.APPROVE);

        // Then both counters hold it, written with the day's attempt as one record, and nothing goes to the
        // earlier layout's store
        assertThat(risk.accountUsage(key("acct-a", Interval.DAY, MORNING))).isEqualTo(4_000L);
        assertThat(risk.accountUsage(key("acct-a", Interval.WEEK, MORNING))).isEqualTo(4_000L);
        assertThat(risk.changelogRecords(RiskTopology.ACCOUNT_SIGNALS_STORE)).isEqualTo(1);
        assertThat(risk.changelogRecords(RiskTopology.LEGACY_ACCOUNT_USAGE_STORE)).isZero();

        // When a request over the daily limit's remainder is declined
        assertThat(risk.decide(request("tx-2", "acct-a", 7_000L, "KES", MORNING.plusSeconds(60))).getOutcome())
                .isEqualTo(Outcome.DECLINE);

        // Then it reserves nothing: its attempt is the one record, the counters carried in it unchanged
        assertThat(risk.changelogRecords(RiskTopology.ACCOUNT_SIGNALS_STORE)).isEqualTo(1);
        assertThat(risk.accountUsage(key("acct-a", Interval.DAY, MORNING))).isEqualTo(4_000L);
        assertThat(risk.accountUsage(key("acct-a", Interval.WEEK, MORNING))).isEqualTo(4_000L);
    }

    @Test
    void shouldWriteReleasedCountersIntoTheLatestDayWhenTheReleaseConcernsAnEarlierDay() {
        // Given 9,000 approved on Tuesday and 9,000 on Wednesday: 18,000 of the week's 25,000
        risk.decide(request("tx-1", "acct-a", 9_000L, "KES", MORNING));
        risk.advanceWallClock(Duration.ofDays(1));
        Instant wednesday = MORNING.plus(Duration.ofDays(1));
        assertThat(risk.decide(request("tx-2", "acct-a", 9_000L, "KES", wednesday)).getOutcome())
                .isEqualTo(Outcome.APPROVE);
        risk.changelogRecords(RiskTopology.ACCOUNT_SIGNALS_STORE);

        // When the provider fails Tuesday's payment
        risk.providerOutcome("tx-1", ProviderStatus.FAILED, StatusTransition.APPLIED);

        // Then the counters move in Wednesday's record, the latest, which is written alone (Tuesday's record keeps its
        // attempt and its approved history: a failed payment was approved)
        assertThat(risk.changelogRecords(RiskTopology.ACCOUNT_SIGNALS_STORE)).isEqualTo(1);
        assertThat(risk.accountUsage(key("acct-a", Interval.WEEK, wednesday))).isEqualTo(9_000L);
        assertThat(risk.accountUsage(key("acct-a", Interval.DAY, MORNING))).isZero();

        // And on Thursday the week has room for what Tuesday no longer holds: 9,000 + 9,000 fits, 27,000 would not
        risk.advanceWallClock(Duration.ofDays(1));
        Instant thursday = wednesday.plus(Duration.ofDays(1));
        assertThat(risk.decide(request("tx-3", "acct-a", 9_000L, "KES", thursday)).getOutcome())
                .isEqualTo(Outcome.APPROVE);
        assertThat(risk.accountUsage(key("acct-a", Interval.WEEK, thursday))).isEqualTo(18_000L);
    }

    @Test
    void shouldCarryTheWeekIntoTheNextDaysRecord() {
        // Given 9,000 approved on Tuesday
        risk.decide(request("tx-1", "acct-a", 9_000L, "KES", MORNING));

        // When on Wednesday and Thursday the account spends again, each day under its daily limit
        risk.advanceWallClock(Duration.ofDays(1));
        Instant wednesday = MORNING.plus(Duration.ofDays(1));
        assertThat(risk.decide(request("tx-2", "acct-a", 9_000L, "KES", wednesday)).getOutcome())
                .isEqualTo(Outcome.APPROVE);
        risk.advanceWallClock(Duration.ofDays(1));
        Instant thursday = wednesday.plus(Duration.ofDays(1));

        // Then the week read from Wednesday's record still counts Tuesday: 18,000 + 9,000 would pass 25,000
        assertThat(risk.decide(request("tx-3", "acct-a", 9_000L, "KES", thursday)).getOutcome())
                .isEqualTo(Outcome.DECLINE);
        assertThat(risk.decide(request("tx-4", "acct-a", 7_000L, "KES", thursday.plusSeconds(1))).getOutcome())
                .isEqualTo(Outcome.APPROVE);
        assertThat(risk.accountUsage(key("acct-a", Interval.WEEK, thursday))).isEqualTo(25_000L);
        assertThat(risk.accountUsage(key("acct-a", Interval.DAY, MORNING))).isEqualTo(9_000L);
        assertThat(risk.accountUsage(key("acct-a", Interval.DAY, thursday))).isEqualTo(7_000L);
    }

    @Test
    void shouldCarryCountersOfTheEarlierLayoutOnceAndNeverReadThemAgain() {
        // Given counters an earlier version wrote, one window record each, under their period's start
        WindowStore<String, Long> legacy = risk.windowStore(RiskTopology.LEGACY_ACCOUNT_USAGE_STORE);
        String daily = key("acct-a", Interval.DAY, MORNING);
        String weekly = key("acct-a", Interval.WEEK, MORNING);
        legacy.put(daily, 8_000L, LocalDate.parse("2026-03-10").atStartOfDay(UTC).toInstant().toEpochMilli());
        legacy.put(weekly, 20_000L, LocalDate.parse("2026-03-09").atStartOfDay(UTC).toInstant().toEpochMilli());

        // When the account asks for more than the day has left
        assertThat(risk.decide(request("tx-1", "acct-a", 3_000L, "KES", MORNING)).getOutcome())
                .isEqualTo(Outcome.DECLINE);

        // Then the earlier counters were in force, and carried into the account's day record with its attempt
        assertThat(risk.changelogRecords(RiskTopology.ACCOUNT_SIGNALS_STORE)).isEqualTo(1);
        assertThat(risk.accountUsage(daily)).isEqualTo(8_000L);
        assertThat(risk.accountUsage(weekly)).isEqualTo(20_000L);

        // When the earlier store changes afterwards (it never does in service: nothing writes it any more)
        legacy.put(daily, 1L, LocalDate.parse("2026-03-10").atStartOfDay(UTC).toInstant().toEpochMilli());

        // Then the record alone counts: 2,000 more fit the day, and the week holds what both layouts reserved
        assertThat(risk.decide(request("tx-2", "acct-a", 2_000L, "KES", MORNING.plusSeconds(1))).getOutcome())
                .isEqualTo(Outcome.APPROVE);
        assertThat(risk.accountUsage(daily)).isEqualTo(10_000L);
        assertThat(risk.accountUsage(weekly)).isEqualTo(22_000L);
    }

    @Test
    void shouldKeepAnEmptyRecordWhenEveryCounterIsReleasedSoTheEarlierLayoutStaysUnread() {
        // Given an approval, then its release (the provider failed it)
        risk.decide(request("tx-1", "acct-a", 4_000L, "KES", MORNING));
        risk.providerOutcome("tx-1", ProviderStatus.FAILED, StatusTransition.APPLIED);
        assertThat(risk.accountUsage(key("acct-a", Interval.DAY, MORNING))).isZero();

        // When a counter of the earlier layout shows up for the account
        risk.<Long>windowStore(RiskTopology.LEGACY_ACCOUNT_USAGE_STORE).put(key("acct-a", Interval.DAY, MORNING),
                9_999L, LocalDate.parse("2026-03-10").atStartOfDay(UTC).toInstant().toEpochMilli());

        // Then it is not read: the account's (empty) record is what counts
        assertThat(risk.decide(request("tx-2", "acct-a", 10_000L, "KES", MORNING.plusSeconds(1))).getOutcome())
                .isEqualTo(Outcome.APPROVE);
    }

    @Test
    void shouldKeepCountersByTheirPeriodsWhateverTheTaskClockSays() {
        // Given a task whose clock is two months past the requests' time (a backlog, or a replay of it)
        risk.advanceWallClock(Duration.ofDays(60));

        // When the account spends its day in two requests of that day
        assertThat(risk.decide(request("tx-1", "acct-a", 6_000L, "KES", MORNING)).getOutcome())
                .isEqualTo(Outcome.APPROVE);
        assertThat(risk.decide(request("tx-2", "acct-a", 6_000L, "KES", MORNING.plusSeconds(1))).getOutcome())
                .isEqualTo(Outcome.DECLINE);

        // Then the first one's counter was kept by its period, and the second did not overspend the day
        assertThat(risk.accountUsage(key("acct-a", Interval.DAY, MORNING))).isEqualTo(6_000L);
    }
}
