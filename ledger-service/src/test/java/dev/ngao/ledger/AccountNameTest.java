package dev.ngao.ledger;

import dev.ngao.events.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountNameTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "merchant:m-1:pending:KES",
            "merchant:m-1:available:UGX",
            "provider:mobile-money-hub:clearing:KES",
            "payouts:mobile-money-hub:in-flight:PEN",
            "merchant:0:XOF",
            "card:card_0123456789abcdef0123456789abcdef:available:PEN",
            "fees:mobile-money-hub:charged:KES",
            "suspense:mobile-money-hub:unmatched:KES"})
    void shouldParseWhenNameIsWellFormed(String text) {
        // When
        AccountName name = AccountName.parse(text);

        // Then
        assertThat(name.toString()).isEqualTo(text);
        assertThat(name.currency()).isEqualTo(text.substring(text.lastIndexOf(':') + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "merchant",
            "merchant:KES",
            "merchant:m-1:pending",
            "merchant:m-1:pending:kes",
            "merchant:m-1:pending:ZZZ",
            "merchant:m-1:pending:XXX",
            "merchant:M-1:pending:KES",
            "merchant:m.1:pending:KES",
            "merchant:m-1::KES",
            "merchant:m 1:pending:KES",
            ":m-1:pending:KES",
            "merchant:m-1:pending:KES:",
            "wallet:w-1:main:KES",
            "MERCHANT:m-1:pending:KES"})
    void shouldRefuseWhenNameIsMalformed(String text) {
        // When / Then
        assertThatThrownBy(() -> AccountName.parse(text)).isInstanceOf(InvalidAccountNameException.class);
    }

    @Test
    void shouldRefuseWhenNameIsNull() {
        assertThatThrownBy(() -> AccountName.parse(null)).isInstanceOf(InvalidAccountNameException.class);
    }

    @Test
    void shouldRefuseWhenNameIsLongerThanTheLimit() {
        // Given
        String text = "merchant:" + "a".repeat(AccountName.MAX_LENGTH) + ":KES";

        // When / Then
        assertThatThrownBy(() -> AccountName.parse(text))
                .isInstanceOf(InvalidAccountNameException.class)
                .hasMessageContaining("at most");
    }

    @Test
    void shouldTakeNormalSideFromTypeWhenParsed() {
        assertThat(AccountName.parse("provider:p:clearing:KES").normalSide()).isEqualTo(Side.DEBIT);
        assertThat(AccountName.parse("merchant:m-1:pending:KES").normalSide()).isEqualTo(Side.CREDIT);
        assertThat(AccountName.parse("payouts:p:in-flight:KES").normalSide()).isEqualTo(Side.CREDIT);
    }

    @Test
    void shouldJoinSegmentsWhenBuiltFromParts() {
        // When
        AccountName name = AccountName.of("merchant", "m-1", "pending", "KES");

        // Then
        assertThat(name).isEqualTo(AccountName.parse("merchant:m-1:pending:KES"));
        assertThat(name.type()).isEqualTo(AccountType.MERCHANT);
    }
}
