package dev.ngao.platform.invariant;

/**
 * A broken invariant: state Ngao promised could never exist (an unbalanced journal entry, a double
 * posting). An {@link Error}, not an exception, so ordinary error handling does not swallow it.
 */
public final class InvariantViolation extends Error {

    public InvariantViolation(String message) {
        super(message);
    }
}
