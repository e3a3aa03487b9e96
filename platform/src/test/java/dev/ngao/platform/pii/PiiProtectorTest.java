package dev.ngao.platform.pii;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PiiProtectorTest {

    private final PiiProtector protector = new PiiProtector("pepper-for-tests-0123456789".getBytes(StandardCharsets.UTF_8));

    @Test
    void shouldHashStablyWithoutRevealingTheValue() {
        String first = protector.hash("msisdn", "+254712345678");

        assertThat(first).isEqualTo(protector.hash("msisdn", "+254712345678"));
        assertThat(first).startsWith("msisdn:").doesNotContain("712345678");
        assertThat(first).isNotEqualTo(protector.hash("msisdn", "+254712345679"));
    }

    @Test
    void shouldSeparateDimensionsAndPeppers() {
        PiiProtector other = new PiiProtector("another-pepper-0123456789".getBytes(StandardCharsets.UTF_8));

        assertThat(protector.hash("dni", "12345678")).isNotEqualTo(protector.hash("msisdn", "12345678").replace("msisdn", "dni"));
        assertThat(other.hash("msisdn", "+254712345678")).isNotEqualTo(protector.hash("msisdn", "+254712345678"));
    }

    @Test
    void shouldRefuseShortPepper() {
        assertThatThrownBy(() -> new PiiProtector(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldMaskKeepingOnlyEnds() {
        assertThat(PiiProtector.maskMsisdn("+254712345678")).isEqualTo("+2547******78");
        assertThat(PiiProtector.mask("1234", 2, 2)).isEqualTo("****");
    }

    @Test
    void shouldMaskDocumentKeepingLastTwoCharacters() {
        assertThat(PiiProtector.maskDocument("12345678")).isEqualTo("******78");
        assertThat(PiiProtector.maskDocument("12")).isEqualTo("**");
    }

    @Test
    void shouldMaskEmailKeepingFirstCharactersAndTopLevelDomain() {
        assertThat(PiiProtector.maskEmail("jane.doe@example.com")).isEqualTo("j*******@e******.com");
        assertThat(PiiProtector.maskEmail("not-an-address")).isEqualTo("**************");
        assertThat(PiiProtector.maskEmail("@example.com")).doesNotContain("example");
    }

    @Test
    void shouldMaskCardNumberToFirstSixAndLastFourDigits() {
        assertThat(PiiProtector.maskCardNumber("4111 1111 1111 1111")).isEqualTo("411111******1111");
        assertThat(PiiProtector.maskCardNumber("5555-5555-5555-4444")).isEqualTo("555555******4444");
        assertThat(PiiProtector.maskCardNumber("123456")).isEqualTo("****56");
    }
}
