package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.Posting;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash that chains journal entries: lower-case hex SHA-256 over the canonical bytes of an entry,
 * which include the previous entry's hash, so changing any entry breaks every hash after it.
 *
 * <p>Canonical bytes, in this order, where {@code str(s)} is the 4-byte big-endian length of the UTF-8
 * bytes of {@code s} followed by those bytes, {@code long(n)} is 8 bytes big-endian two's complement and
 * {@code int(n)} 4 bytes big-endian:
 * <pre>
 * str(previousHash, or "" for the first entry)
 * str(entryId)  long(sequence)  str(transactionId)  str(sourceEventId)  str(kind)
 * long(postedAt as epoch milliseconds)
 * int(number of postings)
 * for each posting, in order: str(account)  str(side: "DEBIT" or "CREDIT")  long(amountMinor)  str(currency)
 * </pre>
 * The entry's own {@code hash} field is not part of them. Length prefixes make the encoding
 * unambiguous whatever characters the fields hold; it is independent of Avro so a verifier in any
 * language can recompute it.
 */
public final class EntryHash {

    private EntryHash() {
    }

    /** The hash {@code entry} must carry, given its fields and its previousHash. */
    public static String of(JournalEntry entry) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonicalBytes(entry)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static byte[] canonicalBytes(JournalEntry entry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeString(out, entry.getPreviousHash() == null ? "" : entry.getPreviousHash());
            writeString(out, entry.getEntryId());
            out.writeLong(entry.getSequence());
            writeString(out, entry.getTransactionId());
            writeString(out, entry.getSourceEventId());
            writeString(out, entry.getKind());
            out.writeLong(entry.getPostedAt().toEpochMilli());
            out.writeInt(entry.getPostings().size());
            for (Posting posting : entry.getPostings()) {
                writeString(out, posting.getAccount());
                writeString(out, posting.getSide().name());
                out.writeLong(posting.getAmount().getAmountMinor());
                writeString(out, posting.getAmount().getCurrency());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
