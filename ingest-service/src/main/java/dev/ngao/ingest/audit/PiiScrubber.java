package dev.ngao.ingest.audit;

import dev.ngao.platform.pii.Luhn;
import dev.ngao.platform.pii.PiiProtector;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second line of defence for free-text audit details: whatever looks like an email address, a phone
 * number, a card number or a document number is masked even if the code that recorded it forgot to. It
 * errs on the side of masking: any run of 8 or more digits (spaces or dashes between them allowed) is
 * masked, so numbers that are not PII but look like it (a date written 2024-01-15) are masked too.
 */
public final class PiiScrubber {

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    /** At least 8 digits, single spaces or dashes between them allowed, a leading + for E.164. */
    private static final Pattern DIGIT_RUN = Pattern.compile("(?<![A-Za-z0-9])\\+?[0-9](?:[ -]?[0-9]){7,}(?![A-Za-z0-9])");
    private static final int MINIMUM_PAN_DIGITS = 13;
    private static final int MAXIMUM_PAN_DIGITS = 19;

    private PiiScrubber() {
    }

    /** {@code text} with every PII-looking part masked; null stays null. */
    public static String scrub(String text) {
        if (text == null) {
            return null;
        }
        String withoutEmails = replace(EMAIL.matcher(text), PiiProtector::maskEmail);
        return replace(DIGIT_RUN.matcher(withoutEmails), PiiScrubber::maskDigits);
    }

    /** Whether {@link #scrub} would change {@code text}. */
    public static boolean looksLikePii(String text) {
        return text != null && (EMAIL.matcher(text).find() || DIGIT_RUN.matcher(text).find());
    }

    private static String maskDigits(String run) {
        String digits = run.replaceAll("[^0-9]", "");
        if (run.startsWith("+")) {
            return PiiProtector.maskMsisdn("+" + digits);
        }
        if (digits.length() >= MINIMUM_PAN_DIGITS && digits.length() <= MAXIMUM_PAN_DIGITS && Luhn.isValid(digits)) {
            return PiiProtector.maskCardNumber(digits);
        }
        return PiiProtector.maskDocument(digits);
    }

    private static String replace(Matcher matcher, java.util.function.UnaryOperator<String> mask) {
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(result, Matcher.quoteReplacement(mask.apply(matcher.group())));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
