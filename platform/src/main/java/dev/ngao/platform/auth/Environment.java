package dev.ngao.platform.auth;

import java.util.Locale;

/** Where a key may be used, and which of the two a door serves: test money or real money. */
public enum Environment {
    SANDBOX,
    LIVE;

    /** {@code sandbox} or {@code live}, in any case. */
    public static Environment parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("environment must be sandbox or live");
        }
    }

    /** How configuration and the command line spell it. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
