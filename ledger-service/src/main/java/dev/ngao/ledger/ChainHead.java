package dev.ngao.ledger;

/**
 * The end of the ledger's hash chain: the last entry's sequence number and hash. The next entry
 * takes {@code sequence + 1} and names {@code hash} as its previous hash.
 *
 * @param sequence last sequence number, 0 for an empty ledger
 * @param hash     hex SHA-256 of the last entry, null for an empty ledger
 */
public record ChainHead(long sequence, String hash) {

    public static final ChainHead GENESIS = new ChainHead(0, null);

    public ChainHead {
        if (sequence < 0 || (sequence == 0) != (hash == null)) {
            throw new IllegalArgumentException("a chain head has a hash exactly when its sequence is positive");
        }
    }
}
