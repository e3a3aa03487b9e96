package dev.ngao.ingest.cip;

import dev.ngao.platform.pii.Luhn;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CipCodesTest {

    private final CipCodes codes = new CipCodes();

    @Test
    void shouldIssueNumericCodesOfFixedLengthWithValidCheckDigit() {
        for (int index = 0; index < 1_000; index++) {
            String code = codes.next();
            assertThat(code).hasSize(CipCodes.LENGTH).matches("[1-9][0-9]+");
            assertThat(CipCodes.isWellFormed(code)).as(code).isTrue();
        }
    }

    @Test
    void shouldNotRepeatCodesWhenManyAreIssued() {
        Set<String> seen = new HashSet<>();
        for (int index = 0; index < 100_000; index++) {
            assertThat(seen.add(codes.next())).isTrue();
        }
    }

    @Test
    void shouldRejectCodeWhenOneDigitIsMistyped() {
        // Given an issued code with one digit changed, as an agent might type it
        String code = codes.next();
        char changed = code.charAt(5) == '9' ? '0' : (char) (code.charAt(5) + 1);
        String mistyped = code.substring(0, 5) + changed + code.substring(6);

        // Then the check digit catches it
        assertThat(CipCodes.isWellFormed(mistyped)).isFalse();
    }

    @Test
    void shouldComputeLuhnCheckDigitOfKnownNumber() {
        // 7992739871 has check digit 3 (the classic Luhn example)
        assertThat(Luhn.checkDigit("7992739871")).isEqualTo(3);
    }

    @Test
    void shouldShowLimaTimeWithOffsetAndSeconds() {
        assertThat(CipTime.localText(Instant.parse("2026-03-03T15:00:00Z"))).isEqualTo("2026-03-03T10:00:00-05:00");
    }
}
