package dev.ngao.console.account;

/** An enrolment step that did not go through; {@link #reason()} is a stable word, the message is for the person. */
public final class EnrolmentRefused extends RuntimeException {

    /** The link is unknown, used or expired. */
    public static final String UNKNOWN_LINK = "unknown-enrolment";
    public static final String WEAK_PASSWORD = "weak-password";
    public static final String WRONG_CODE = "wrong-code";

    private final String reason;

    EnrolmentRefused(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
