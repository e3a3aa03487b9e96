package dev.ngao.platform.invariant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that always run, never only under {@code -ea}. A violation throws {@link InvariantViolation};
 * the thread that owns the state catches it at its top and calls {@link #halt(InvariantViolation)}.
 */
public final class Invariants {

    private static final Logger LOG = LoggerFactory.getLogger(Invariants.class);
    /** Exit status of a process stopped by a broken invariant (EX_SOFTWARE). */
    public static final int EXIT_STATUS = 70;

    private static volatile Runnable haltAction = () -> Runtime.getRuntime().halt(EXIT_STATUS);

    private Invariants() {
    }

    public static void check(boolean condition, String message) {
        if (!condition) {
            throw new InvariantViolation(message);
        }
    }

    /** Stops the process: a ledger that does not balance must not go on serving. */
    public static void halt(InvariantViolation violation) {
        LOG.error("Invariant broken, stopping the process: {}", violation.getMessage());
        haltAction.run();
    }

    /** Replaces the halt, for tests that assert a violation stops the owner. Returns the previous action. */
    public static Runnable onHalt(Runnable action) {
        Runnable previous = haltAction;
        haltAction = action;
        return previous;
    }
}
