package dev.ngao.reconciler.chase;

import java.nio.ByteBuffer;

/**
 * Where the chase of one payment stands, kept in the ledger view's {@code chase} family so a restart neither
 * queries too early nor forgets how many attempts were made. Removed once the view no longer has the payment
 * pending, whatever the phase.
 */
record ChaseState(Phase phase, int attempts, long nextAttemptAtMs) {

    enum Phase {
        /** Queried with backoff until final. */
        CHASING,
        /** The provider gave a final status (or the CIP expired); the event was sent. */
        ANSWERED,
        /**
         * Still pending or unknown after the last attempt: an UNRESOLVED_PENDING break was emitted, cleared when the
         * view no longer has the payment pending.
         */
        FLAGGED
    }

    static final ChaseState NEW = new ChaseState(Phase.CHASING, 0, 0);

    byte[] encode() {
        return ByteBuffer.allocate(1 + Integer.BYTES + Long.BYTES).put((byte) phase.ordinal()).putInt(attempts)
                .putLong(nextAttemptAtMs).array();
    }

    static ChaseState decode(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new ChaseState(Phase.values()[buffer.get()], buffer.getInt(), buffer.getLong());
    }
}
