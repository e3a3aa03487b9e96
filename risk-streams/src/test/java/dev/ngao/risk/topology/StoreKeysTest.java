package dev.ngao.risk.topology;

import dev.ngao.risk.internal.CommandKind;
import dev.ngao.risk.internal.StageCommand;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.Interval;
import dev.ngao.rules.UsageKey;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreKeysTest {

    @Test
    void shouldRoundTripHolderKeysOfEveryDimension() {
        for (Dimension dimension : Dimension.values()) {
            String holder = StoreKeys.holderKey(dimension, "value-1");
            assertThat(StoreKeys.holderDimension(holder)).isEqualTo(dimension);
            assertThat(StoreKeys.holderValue(holder)).isEqualTo("value-1");
        }
        assertThat(StoreKeys.holderKey(Dimension.ACCOUNT, "acct-a")).isEqualTo("acct-a");
    }

    @Test
    void shouldSortVelocityKeysByTimeAndReadTheTimeBack() {
        String early = StoreKeys.velocity(Dimension.IP, "10.0.0.1", 999L, "tx-b");
        String late = StoreKeys.velocity(Dimension.IP, "10.0.0.1", 1_000L, "tx-a");
        assertThat(early).isLessThan(late);
        assertThat(StoreKeys.velocityTime(late)).isEqualTo(1_000L);
    }

    @ParameterizedTest
    @CsvSource({
            "10.9.0.0/16, 10.9.3.4, true",
            "10.9.0.0/16, 10.10.0.1, false",
            "10.9.3.4/32, 10.9.3.4, true",
            "0.0.0.0/0, 192.168.1.1, true",
            "2001:db8::/32, 2001:db8:1::1, true",
            "2001:db8::/32, 2001:db9::1, false",
            "10.9.0.0/16, 2001:db8::1, false",
            "10.9.0.0/33, 10.9.0.1, false",
            "not-a-range, 10.9.0.1, false",
            "example.com/8, 10.9.0.1, false"
    })
    void shouldMatchAnIpAgainstACidrRangeOnlyWhenInside(String cidr, String ip, boolean contained) {
        assertThat(StoreListLookup.contains(cidr, ip)).isEqualTo(contained);
    }

    @Test
    void shouldEndAUsagePeriodAtMidnightOfItsZone() {
        String limaDay = new UsageKey(Dimension.ACCOUNT, "acct-a", "PEN", Interval.DAY, ZoneId.of("America/Lima"),
                LocalDate.parse("2026-03-10")).storeKey();
        String week = new UsageKey(Dimension.MERCHANT, "m-1", "KES", Interval.WEEK, ZoneId.of("UTC"),
                LocalDate.parse("2026-03-09")).storeKey();
        String allTime = new UsageKey(Dimension.ACCOUNT, "acct-a", "KES", Interval.ALL_TIME, ZoneId.of("UTC"),
                LocalDate.EPOCH).storeKey();

        assertThat(StagePurge.periodEnd(limaDay)).contains(Instant.parse("2026-03-11T05:00:00Z"));
        assertThat(StagePurge.periodEnd(week)).contains(Instant.parse("2026-03-16T00:00:00Z"));
        assertThat(StagePurge.periodEnd(allTime)).isEmpty();
        assertThat(StagePurge.periodEnd("garbage")).isEmpty();
    }

    @Test
    void shouldRoundTripAnInternalRecordAndRefuseBytesOfAnotherFormat() {
        InternalSerde<StageCommand> serde = InternalSerde.of(StageCommand.class);
        StageCommand command = StageCommand.newBuilder().setKind(CommandKind.RELEASE).setTransactionId("tx-1")
                .setDimension("IP").setValue("10.0.0.1").setUpToMinor(500L).setReason("REFUNDED").build();

        byte[] bytes = serde.encode(command);

        assertThat(bytes[0]).isEqualTo(InternalSerde.FORMAT);
        assertThat(serde.decode(bytes)).isEqualTo(command);
        bytes[0] = 9;
        assertThatThrownBy(() -> serde.decode(bytes)).isInstanceOf(SerializationException.class);
    }
}
