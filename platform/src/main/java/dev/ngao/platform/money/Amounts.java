package dev.ngao.platform.money;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;

/**
 * Money at the edge: decimal text in, integer minor units out. The currency's own minor digits
 * (ISO 4217, as the JDK's currency data has them: UGX 0, KES 2, PEN 2, XOF 0) decide what is valid;
 * an amount with more digits than its currency allows is refused, never rounded.
 */
public final class Amounts {

    private static final int MAX_TEXT_LENGTH = 32;
    private static final Set<String> NOT_TRADABLE = Set.of("XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR");

    private Amounts() {
    }

    /** The ISO-4217 currency, or {@link InvalidAmountException} if the code is not one. */
    public static Currency currency(String code) {
        if (code == null || !code.matches("[A-Z]{3}") || NOT_TRADABLE.contains(code)) {
            throw new InvalidAmountException("currency must be an ISO-4217 code in upper case, got " + quote(code));
        }
        try {
            Currency currency = Currency.getInstance(code);
            if (currency.getDefaultFractionDigits() < 0) {
                throw new InvalidAmountException("currency " + code + " has no minor unit and cannot be paid");
            }
            return currency;
        } catch (IllegalArgumentException e) {
            throw new InvalidAmountException("unknown currency " + code);
        }
    }

    public static int minorDigits(String currencyCode) {
        return currency(currencyCode).getDefaultFractionDigits();
    }

    /**
     * Converts decimal text such as {@code "1500.50"} into minor units of {@code currencyCode}.
     * Refuses negative and zero amounts, exponents, more fraction digits than the currency has, and
     * amounts that do not fit a {@code long}.
     */
    public static long toMinorUnits(String decimalText, String currencyCode) {
        int digits = minorDigits(currencyCode);
        if (decimalText == null || decimalText.length() > MAX_TEXT_LENGTH || !decimalText.matches("\\d+(\\.\\d+)?")) {
            throw new InvalidAmountException("amount must be a positive decimal number such as 1500 or 1500.50");
        }
        BigDecimal amount = new BigDecimal(decimalText);
        if (amount.stripTrailingZeros().scale() > digits) {
            throw new InvalidAmountException("amount " + decimalText + " has more decimal places than "
                    + currencyCode + " allows (" + digits + ")");
        }
        if (amount.signum() <= 0) {
            throw new InvalidAmountException("amount must be greater than zero");
        }
        try {
            return amount.movePointRight(digits).longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidAmountException("amount is too large");
        }
    }

    /** Minor units back to decimal text, for display: 150050 KES is "1500.50". */
    public static String toDecimalText(long amountMinor, String currencyCode) {
        return BigDecimal.valueOf(amountMinor, minorDigits(currencyCode)).toPlainString();
    }

    private static String quote(String text) {
        return text == null ? "nothing" : "'" + text.toUpperCase(Locale.ROOT) + "'";
    }
}
