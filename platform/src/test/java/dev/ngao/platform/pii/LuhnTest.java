package dev.ngao.platform.pii;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LuhnTest {

    @Test
    void shouldComputeTheCheckDigitOfTheClassicExample() {
        assertThat(Luhn.checkDigit("7992739871")).isEqualTo(3);
    }

    @Test
    void shouldAcceptValidNumbersAndRefuseOneDigitOff() {
        assertThat(Luhn.isValid("79927398713")).isTrue();
        assertThat(Luhn.isValid("4111111111111111")).isTrue();
        assertThat(Luhn.isValid("4111111111111112")).isFalse();
        assertThat(Luhn.isValid("7")).isFalse();
    }
}
