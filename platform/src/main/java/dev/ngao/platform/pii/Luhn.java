package dev.ngao.platform.pii;

/**
 * The Luhn check digit (ISO/IEC 7812-1), which card numbers carry and Ngao's payment codes carry too.
 * Small and fixed, so written here rather than pulled in with a validation library.
 */
public final class Luhn {

    private Luhn() {
    }

    /** The digit that makes {@code digits} followed by it pass the check. */
    public static int checkDigit(CharSequence digits) {
        int sum = 0;
        boolean doubled = true;
        for (int index = digits.length() - 1; index >= 0; index--) {
            int digit = digits.charAt(index) - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return (10 - sum % 10) % 10;
    }

    /** Whether {@code digits} (at least two) end with their check digit. */
    public static boolean isValid(CharSequence digits) {
        int length = digits.length();
        return length >= 2 && checkDigit(digits.subSequence(0, length - 1)) == digits.charAt(length - 1) - '0';
    }
}
