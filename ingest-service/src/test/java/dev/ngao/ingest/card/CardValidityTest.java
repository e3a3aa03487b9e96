package dev.ngao.ingest.card;

import dev.ngao.events.CardEvent;
import dev.ngao.platform.pii.PiiProtector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CardValidityTest {

    @ParameterizedTest(name = "issued {0}, {1} months -> {2}")
    @CsvSource({
            // The default: a card issued in January 2026 shows 01/29 and is good through 31 January 2029
            "2026-01-15T12:00:00Z, 36, 2029-01-31T23:59:59.999Z",
            // The issue day does not matter, only its month: the 31st, the 1st, the last millisecond
            "2026-01-31T23:59:59.999Z, 36, 2029-01-31T23:59:59.999Z",
            "2026-03-01T00:00:00Z, 36, 2029-03-31T23:59:59.999Z",
            // Into a 30-day month and across a year end
            "2026-03-31T10:00:00Z, 1, 2026-04-30T23:59:59.999Z",
            "2026-11-30T10:00:00Z, 2, 2027-01-31T23:59:59.999Z",
            // February of a leap year ends on the 29th, of another year on the 28th
            "2025-02-28T10:00:00Z, 36, 2028-02-29T23:59:59.999Z",
            "2028-02-29T10:00:00Z, 12, 2029-02-28T23:59:59.999Z",
            "2028-02-29T10:00:00Z, 48, 2032-02-29T23:59:59.999Z",
            "2027-12-31T23:00:00Z, 2, 2028-02-29T23:59:59.999Z",
            // 2100 is no leap year (divisible by 100, not by 400)
            "2096-02-29T10:00:00Z, 48, 2100-02-28T23:59:59.999Z",
            "2096-02-15T10:00:00Z, 120, 2106-02-28T23:59:59.999Z"})
    void shouldExpireAtTheLastMillisecondOfTheExpiryMonthInUtc(String issuedAt, int months, String expiresAt) {
        assertThat(new CardValidity(months).expiresAt(Instant.parse(issuedAt))).isEqualTo(Instant.parse(expiresAt));
    }

    @Test
    void shouldCountTheIssueMonthInUtcNotInTheMerchantsZone() {
        // 31 January 23:30 in Lima is already 1 February in UTC: the card is a February card
        Instant issuedAt = Instant.parse("2026-02-01T04:30:00Z");

        assertThat(new CardValidity(36).expiresAt(issuedAt)).isEqualTo(Instant.parse("2029-02-28T23:59:59.999Z"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 121})
    void shouldRefuseValidityOutsideOneToOneHundredTwentyMonths(int months) {
        assertThatThrownBy(() -> new CardValidity(months)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPutKycStatusAndExpiryOnTheIssuance() {
        // Given the factory of card events with 24 months of validity, on 29 February 2028
        Clock clock = Clock.fixed(Instant.parse("2028-02-29T18:45:12.345678Z"), ZoneOffset.UTC);
        CardEvents events = new CardEvents(new PiiProtector("unit-test-pepper-0123".getBytes(StandardCharsets.UTF_8)),
                new CardValidity(24), clock);

        // When a card is issued
        CardEvent issued = events.issued("card_0123456789abcdef0123456789abcdef",
                new CardRequests.Issue("holder-1", KycStatus.VERIFIED, "PEN", null), "merchant-a", "key-a");

        // Then the issuance says the KYC status and the card expires at the end of February 2030
        assertThat(issued.getKycStatus()).isEqualTo("VERIFIED");
        assertThat(issued.getOccurredAt()).isEqualTo(Instant.parse("2028-02-29T18:45:12.345Z"));
        assertThat(issued.getExpiresAt()).isEqualTo(Instant.parse("2030-02-28T23:59:59.999Z"));
    }
}
