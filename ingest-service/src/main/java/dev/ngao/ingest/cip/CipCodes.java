package dev.ngao.ingest.cip;

import dev.ngao.platform.pii.Luhn;

import java.security.SecureRandom;

/**
 * Issues CIP payment codes: {@value #LENGTH} digits, the first not zero, the last a Luhn check digit so an
 * agent's typing error is caught before a payment is looked up. The other {@value #RANDOM_DIGITS} digits
 * come from {@link SecureRandom}: codes are neither sequential nor guessable, and no coordination between
 * ingest instances is needed. With 9 x 10^16 possible codes, the chance that any two of a million unexpired
 * codes collide is about 5.6 x 10^-6 (birthday bound n^2 / 2N).
 */
public final class CipCodes {

    public static final int LENGTH = 18;
    static final int RANDOM_DIGITS = LENGTH - 1;

    private final SecureRandom random;

    public CipCodes() {
        this(new SecureRandom());
    }

    CipCodes(SecureRandom random) {
        this.random = random;
    }

    public String next() {
        StringBuilder code = new StringBuilder(LENGTH);
        code.append((char) ('1' + random.nextInt(9)));
        while (code.length() < RANDOM_DIGITS) {
            code.append((char) ('0' + random.nextInt(10)));
        }
        return code.append(Luhn.checkDigit(code)).toString();
    }

    /** Whether {@code code} has the shape and check digit of an issued code. */
    public static boolean isWellFormed(String code) {
        return code != null && code.length() == LENGTH && code.chars().allMatch(Character::isDigit)
                && code.charAt(0) != '0'
                && Luhn.checkDigit(code.substring(0, RANDOM_DIGITS)) == code.charAt(RANDOM_DIGITS) - '0';
    }
}
