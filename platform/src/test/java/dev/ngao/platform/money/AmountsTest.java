package dev.ngao.platform.money;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AmountsTest {

    @ParameterizedTest
    @CsvSource({
            "1500.50, KES, 150050",
            "1500, KES, 150000",
            "0.01, KES, 1",
            "1500.5, PEN, 150050",
            "25000, UGX, 25000",
            "25000.00, UGX, 25000",
            "5000, XOF, 5000"})
    void shouldConvertToMinorUnitsWhenDigitsFitTheCurrency(String text, String currency, long expectedMinor) {
        assertThat(Amounts.toMinorUnits(text, currency)).isEqualTo(expectedMinor);
    }

    @ParameterizedTest
    @CsvSource({"1500.505, KES", "0.001, PEN", "25000.5, UGX", "10.1, XOF"})
    void shouldRefuseMoreDigitsThanTheCurrencyAllowsInsteadOfRounding(String text, String currency) {
        assertThatThrownBy(() -> Amounts.toMinorUnits(text, currency))
                .isInstanceOf(InvalidAmountException.class)
                .hasMessageContaining("decimal places");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.00", "-5", "1e3", "12,50", "", " 12", "abc", "99999999999999999999"})
    void shouldRefuseMalformedZeroNegativeOrHugeAmounts(String text) {
        assertThatThrownBy(() -> Amounts.toMinorUnits(text, "KES")).isInstanceOf(InvalidAmountException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kes", "KE", "ABC", "XXX", "KESS"})
    void shouldRefuseUnknownCurrencies(String code) {
        assertThatThrownBy(() -> Amounts.currency(code)).isInstanceOf(InvalidAmountException.class);
    }

    @Test
    void shouldRefuseMissingAmount() {
        assertThatThrownBy(() -> Amounts.toMinorUnits(null, "KES")).isInstanceOf(InvalidAmountException.class);
    }

    @Test
    void shouldRenderMinorUnitsAsDecimalTextOfTheCurrency() {
        assertThat(Amounts.toDecimalText(150050, "KES")).isEqualTo("1500.50");
        assertThat(Amounts.toDecimalText(25000, "UGX")).isEqualTo("25000");
        assertThat(Amounts.minorDigits("XOF")).isZero();
        assertThat(Amounts.minorDigits("PEN")).isEqualTo(2);
    }
}
