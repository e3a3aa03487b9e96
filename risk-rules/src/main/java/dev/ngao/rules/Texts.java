package dev.ngao.rules;

import dev.ngao.platform.money.Amounts;
import dev.ngao.platform.money.InvalidAmountException;

import java.time.Duration;

/** How reasons name amounts, windows and dimensions: decimal text with the currency, never a personal value. */
final class Texts {

    private Texts() {
    }

    /** {@code 150050, "KES"} is {@code "1500.50 KES"}. */
    static String money(long amountMinor, String currency) {
        try {
            return Amounts.toDecimalText(amountMinor, currency) + " " + currency;
        } catch (InvalidAmountException e) {
            // A request written around ingest-service may carry a code that is not ISO-4217; the reason
            // must still be written rather than fail the decision.
            return amountMinor + " minor units of " + currency;
        }
    }

    /** A window as a person would say it: 60 s is "1 minute", 86400 s is "24 hours", 604800 s is "7 days". */
    static String window(Duration window) {
        long seconds = window.toSeconds();
        if (seconds % 86_400 == 0 && seconds > 86_400) {
            return plural(seconds / 86_400, "day");
        }
        if (seconds % 3_600 == 0) {
            return plural(seconds / 3_600, "hour");
        }
        if (seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }

    /** The dimension's value named without its value: "this device", never the device hash. */
    static String the(Dimension dimension) {
        return switch (dimension) {
            case ACCOUNT -> "this account";
            case MERCHANT -> "this merchant";
            case MSISDN -> "this phone number";
            case IP -> "this IP address";
            case DEVICE -> "this device";
            case DNI -> "this DNI";
            case EMAIL -> "this email";
        };
    }

    /** The counted values of a distinct count, in the plural: "phone numbers", "DNIs". */
    static String plural(Dimension dimension) {
        return switch (dimension) {
            case ACCOUNT -> "accounts";
            case MERCHANT -> "merchants";
            case MSISDN -> "phone numbers";
            case IP -> "IP addresses";
            case DEVICE -> "devices";
            case DNI -> "DNIs";
            case EMAIL -> "emails";
        };
    }
}
