package dev.ngao.risk.topology;

import dev.ngao.risk.internal.AccountCommandKind;
import dev.ngao.risk.internal.AccountCommand;
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
    void shouldKeepACardsFundsKeyApartFromEveryUsageCounterKeyInTheAllTimeStore() {
        // A usage counter's key starts with its dimension: none may be the funds' key kind
        UsageKey allTime = new UsageKey(Dimension.ACCOUNT, "card-1", "KES", Interval.ALL_TIME, ZoneId.of("UTC"),
                LocalDate.EPOCH);

        assertThat(Dimension.values()).extracting(Dimension::name).doesNotContain(CardFunds.KIND);
        assertThat(CardFunds.storeKey("card-1", "KES")).isEqualTo("FUNDS|card-1|KES").isNotEqualTo(allTime.storeKey());
    }

    @Test
    void shouldSortPaddedSequencesAsNumbers() {
        assertThat(StoreKeys.paddedTime(999L)).isLessThan(StoreKeys.paddedTime(1_000L));
        assertThat(StoreKeys.paddedTime(7L)).hasSize(15).endsWith("7");
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
    void shouldStartAUsagePeriodAtMidnightOfItsZone() {
        UsageKey limaDay = new UsageKey(Dimension.ACCOUNT, "acct-a", "PEN", Interval.DAY, ZoneId.of("America/Lima"),
                LocalDate.parse("2026-03-10"));
        UsageKey week = new UsageKey(Dimension.MERCHANT, "m-1", "KES", Interval.WEEK, ZoneId.of("UTC"),
                LocalDate.parse("2026-03-09"));
        UsageKey allTime = new UsageKey(Dimension.ACCOUNT, "acct-a", "KES", Interval.ALL_TIME, ZoneId.of("UTC"),
                LocalDate.EPOCH);

        assertThat(UsageCounters.periodStartMs(limaDay)).isEqualTo(Instant.parse("2026-03-10T05:00:00Z").toEpochMilli());
        assertThat(UsageCounters.periodStartMs(week)).isEqualTo(Instant.parse("2026-03-09T00:00:00Z").toEpochMilli());
        assertThat(UsageCounters.periodStartMs(allTime)).isEqualTo(-1L);
    }

    @Test
    void shouldRoundTripAnInternalRecordAndRefuseBytesOfAnotherFormat() {
        InternalSerde<AccountCommand> serde = InternalSerde.of(AccountCommand.class);
        AccountCommand command = AccountCommand.newBuilder().setKind(AccountCommandKind.RELEASE)
                .setTransactionId("tx-1").setReason("REFUNDED").build();

        byte[] bytes = serde.encode(command);

        assertThat(bytes[0]).isEqualTo(InternalSerde.FORMAT);
        assertThat(serde.decode(bytes)).isEqualTo(command);
        bytes[0] = 9;
        assertThatThrownBy(() -> serde.decode(bytes)).isInstanceOf(SerializationException.class);
    }
}
