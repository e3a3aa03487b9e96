package dev.ngao.platform.cli;

/**
 * Exit statuses of Ngao's command-line tools beyond 0 (done) and 1 (the command ran and found something wrong,
 * or failed), as BSD's sysexits.h names them, so that scripts tell a mistake of the caller from a failure.
 */
public final class ExitStatus {

    /** EX_USAGE: a bad option or value, a missing or unreadable file the caller named. */
    public static final int USAGE = 64;
    /** EX_IOERR: reading or writing failed for a reason other than the caller's arguments. */
    public static final int IO = 74;
    /** EX_CONFIG: the environment's configuration is invalid. */
    public static final int CONFIG = 78;

    private ExitStatus() {
    }
}
