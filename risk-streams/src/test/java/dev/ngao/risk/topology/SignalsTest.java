package dev.ngao.risk.topology;

import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RiskSignals;
import dev.ngao.events.RuleAction;
import dev.ngao.risk.internal.DistinctValues;
import dev.ngao.risk.internal.SignalDay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.RiskDriver.rule;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bucketed signals as the rules see them: windows counted in whole buckets of the width their length
 * picks, distinct sets capped and still matching, and days that leave with their segments.
 */
class SignalsTest {

    private static final String MERCHANT = "merchant-1";
    /** On a whole minute, so the 10-second buckets fall where the test says. */
    private static final Instant MORNING = Instant.parse("2026-03-10T08:00:00Z");

    @TempDir
    Path stateDirectory;

    private RiskDriver risk;

    @BeforeEach
    void start() {
        risk = new RiskDriver(stateDirectory);
    }

    @AfterEach
    void stop() {
        risk.close();
    }

    private Outcome decide(String transactionId, String accountId, Instant at, RiskSignals signals) {
        PaymentRequest request = PaymentRequest.newBuilder(request(transactionId, accountId, 100L, "KES", at))
                .setSignals(signals).build();
        return risk.decide(request).getOutcome();
    }

    @Test
    void shouldCountAMinuteWindowInWholeTenSecondBuckets() {
        // Given at most 2 attempts a minute per account
        risk.publish(MERCHANT, "attempts-v1", rule("attempts", "velocity-count",
                "{\"dimension\": \"ACCOUNT\", \"windowSeconds\": 60, \"max\": 2}", RuleAction.BLOCK));
        RiskSignals none = RiskSignals.newBuilder().build();

        // When the account pays at 0 s, 20 s and 40 s (the third is over), then at 85 s and 150 s
        List<Outcome> outcomes = List.of(
                decide("tx-1", "acct-a", MORNING, none),
                decide("tx-2", "acct-a", MORNING.plusSeconds(20), none),
                decide("tx-3", "acct-a", MORNING.plusSeconds(40), none),
                decide("tx-4", "acct-a", MORNING.plusSeconds(85), none),
                decide("tx-5", "acct-a", MORNING.plusSeconds(150), none));

        // Then at 85 s the window (25 s, 85 s] is counted in the buckets that overlap it, from 20 s on: the
        // attempts at 20 s and 40 s (declined ones count) make a third one over, where the exact window holds only
        // the one at 40 s: never fewer attempts than the exact window, at most one 10-second bucket more. At
        // 150 s the window (90 s, 150 s] starts after the bucket of 85 s ended: nothing is left in it.
        assertThat(outcomes).containsExactly(Outcome.APPROVE, Outcome.APPROVE, Outcome.DECLINE, Outcome.DECLINE,
                Outcome.APPROVE);
    }

    @Test
    void shouldKeepAtMostTheCapOfDistinctValuesADayAndStillMatchAboveTheMaximum() {
        // Given at most the highest maximum a distinct-count rule accepts of accounts behind one DNI
        risk.publish(MERCHANT, "dni-v1", rule("dni-accounts", "distinct-count",
                "{\"dimension\": \"DNI\", \"counted\": \"ACCOUNT\", \"windowSeconds\": 86400, \"max\": 63}",
                RuleAction.BLOCK));
        RiskSignals dni = RiskSignals.newBuilder().setDocumentHash("dni-1").build();

        // When 80 accounts pay with it
        List<Outcome> outcomes = new ArrayList<>();
        for (int account = 0; account < 80; account++) {
            outcomes.add(decide("tx-" + account, "acct-" + account, MORNING.plusSeconds(account), dni));
        }

        // Then the first 63 are approved and every later one declined, though the day keeps only 64 of them
        assertThat(outcomes.subList(0, 63)).containsOnly(Outcome.APPROVE);
        assertThat(outcomes.subList(63, 80)).containsOnly(Outcome.DECLINE);
        SignalDay day = risk.<SignalDay>windowStore(RiskTopology.SIGNALS_STORE)
                .fetch("DNI|dni-1", SignalBook.dayStart(MORNING.toEpochMilli()));
        assertThat(day.getDistinct()).filteredOn(set -> set.getCounted().equals("ACCOUNT"))
                .singleElement().extracting(DistinctValues::getValues).asList().hasSize(SignalBook.MAXIMUM_DISTINCT);
        assertThat(day.getTotal().getCount()).isEqualTo(80L);
    }

    @Test
    void shouldDropOldDaysOfSignalsWithTheirSegments() {
        // Given an IP seen today
        risk.publish(MERCHANT, "ip-v1", rule("ip-day", "velocity-count",
                "{\"dimension\": \"IP\", \"windowSeconds\": 86400, \"max\": 100}", RuleAction.REVIEW));
        RiskSignals ip = RiskSignals.newBuilder().setClientIp("10.0.0.9").build();
        decide("tx-1", "acct-a", MORNING, ip);
        long today = SignalBook.dayStart(MORNING.toEpochMilli());
        assertThat(risk.<SignalDay>windowStore(RiskTopology.SIGNALS_STORE).fetch("IP|10.0.0.9", today)).isNotNull();

        // When requests come 40 days later (past the velocity retention of 32 days)
        risk.advanceWallClock(Duration.ofDays(40));
        decide("tx-2", "acct-b", MORNING.plus(Duration.ofDays(40)), ip);

        // Then the old day left with its segment, and today's is there
        assertThat(risk.<SignalDay>windowStore(RiskTopology.SIGNALS_STORE).fetch("IP|10.0.0.9", today)).isNull();
        assertThat(risk.<SignalDay>windowStore(RiskTopology.SIGNALS_STORE)
                .fetch("IP|10.0.0.9", SignalBook.dayStart(MORNING.plus(Duration.ofDays(40)).toEpochMilli())))
                .isNotNull();
    }

    @Test
    void shouldCountEachRequestOnceInTheGlobalSignalsAfterItsDecision() {
        // Given an IP rule, when three accounts pay from the IP
        risk.publish(MERCHANT, "ip-v1", rule("ip-day", "velocity-count",
                "{\"dimension\": \"IP\", \"windowSeconds\": 86400, \"max\": 100}", RuleAction.REVIEW));
        RiskSignals ip = RiskSignals.newBuilder().setClientIp("10.0.0.9").build();
        for (int i = 0; i < 3; i++) {
            decide("tx-" + i, "acct-" + i, MORNING.plusSeconds(i), ip);
        }
        // And one is replayed
        List<RiskDecision> replayed = risk.send(PaymentRequest.newBuilder(request("tx-0", "acct-0", 100L, "KES",
                MORNING)).setSignals(ip).build());

        // Then the replay is dropped and each decided request counted once
        assertThat(replayed).isEmpty();
        SignalDay day = risk.<SignalDay>windowStore(RiskTopology.SIGNALS_STORE)
                .fetch("IP|10.0.0.9", SignalBook.dayStart(MORNING.toEpochMilli()));
        assertThat(day.getTotal().getCount()).isEqualTo(3L);
    }
}
