package dev.ngao.reconciler.view;

/** The column families of the posted-payments view's database, with their on-disk names (never to change). */
enum ViewFamily {
    /** transactionId -> ViewPayment. */
    PAYMENTS("payments"),
    /**
     * provider, 0x00, settlement day (ISO), 0x00, reference -> the ViewPayment itself (a copy, so a run reads
     * the day in one sequential scan, never a random read per payment).
     */
    DAY_INDEX("day-index"),
    /** pending since (8 bytes big-endian, epoch ms), transactionId -> nothing. */
    PENDING("pending"),
    /** topic, 0x00, partition (4) -> next offset (8). */
    OFFSETS("offsets"),
    /** transactionId -> chase state. */
    CHASE("chase"),
    /** breakId -> first detectedAt (8). */
    EMITTED_BREAKS("emitted-breaks"),
    /** provider, 0x00, provider reference -> transactionId: where a reference is, whatever its day. */
    REFERENCES("references");

    /** Prefix of the temporary column family of each report run; such families left by a crash are dropped. */
    static final String RUN_FAMILY_PREFIX = "run:";

    private final String familyName;

    ViewFamily(String familyName) {
        this.familyName = familyName;
    }

    String familyName() {
        return familyName;
    }
}
