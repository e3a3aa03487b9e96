package dev.ngao.platform.cli;

/**
 * Messages of the command-line tools as one line of a terminal: a tool tells a mistake or a failure in one line
 * on stderr, so that what went wrong is read at once and a script can log it, never a stack trace.
 */
public final class OneLine {

    private OneLine() {
    }

    /** {@code text} with every line break, and the blanks around it, made {@code "; "}; null as "(no message)". */
    public static String of(String text) {
        return text == null ? "(no message)" : text.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** A failure and its causes: "Type: message: CauseType: message...", in one line. */
    public static String of(Throwable failure) {
        StringBuilder line = new StringBuilder(failure.getClass().getSimpleName() + ": " + of(failure.getMessage()));
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            line.append(": ").append(cause.getClass().getSimpleName()).append(": ").append(of(cause.getMessage()));
        }
        return line.toString();
    }
}
