package dev.ngao.ledger;

/**
 * Named places in the poll loop between reading and committing. Production passes {@link #NONE}; the
 * crash-safety test throws from them to stop the loop at a random point, as a killed process would.
 */
@FunctionalInterface
interface CrashPoints {

    CrashPoints NONE = point -> { };

    void reached(String point);
}
