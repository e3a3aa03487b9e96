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
}
