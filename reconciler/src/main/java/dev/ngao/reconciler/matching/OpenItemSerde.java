package dev.ngao.reconciler.matching;

import dev.ngao.events.Outcome;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The binary form of an {@link OpenItem} in the store and its changelog. A leading format version lets a
 * later release read what this one wrote; the item is internal state, so it needs no registry schema.
 * Counts read back are checked against their bounds, so a corrupt value fails instead of allocating.
 */
final class OpenItemSerde implements Serde<OpenItem> {

    static final byte FORMAT_VERSION = 1;
    /** A store value holds at most a few currencies; more means corruption. */
    private static final int MAX_CURRENCIES = 64;

    @Override
    public Serializer<OpenItem> serializer() {
        return (topic, item) -> item == null ? null : write(item);
    }

    @Override
    public Deserializer<OpenItem> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(OpenItem item) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT_VERSION);
            out.writeBoolean(item.hasDecision());
            if (item.hasDecision()) {
                writeDecision(out, item.decision());
            }
            out.writeBoolean(item.hasPostings());
            if (item.hasPostings()) {
                writePostings(out, item.postings());
            }
        } catch (IOException e) {
            throw new SerializationException("Cannot write an open item", e);
        }
        return bytes.toByteArray();
    }

    static OpenItem read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != FORMAT_VERSION) {
                throw new SerializationException("Unknown open item format version " + version);
            }
            SeenDecision decision = in.readBoolean() ? readDecision(in) : null;
            SeenPostings postings = in.readBoolean() ? readPostings(in) : null;
            return new OpenItem(decision, postings);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new SerializationException("Cannot read an open item", e);
        }
    }

    private static void writeDecision(DataOutputStream out, SeenDecision decision) throws IOException {
        out.writeUTF(decision.outcome().name());
        out.writeLong(decision.amountMinor());
        out.writeUTF(decision.currency());
        out.writeLong(decision.decidedAtMs());
        out.writeLong(decision.seenAtMs());
    }

    private static SeenDecision readDecision(DataInputStream in) throws IOException {
        Outcome outcome = Outcome.valueOf(in.readUTF());
        long amountMinor = in.readLong();
        String currency = in.readUTF();
        return new SeenDecision(outcome, amountMinor, currency, in.readLong(), in.readLong());
    }

    private static void writePostings(DataOutputStream out, SeenPostings postings) throws IOException {
        out.writeInt(postings.debitsMinorByCurrency().size());
        for (var debit : postings.debitsMinorByCurrency().entrySet()) {
            out.writeUTF(debit.getKey());
            out.writeLong(debit.getValue());
        }
        out.writeInt(postings.entryIds().size());
        for (String entryId : postings.entryIds()) {
            out.writeUTF(entryId);
        }
        out.writeLong(postings.firstPostedAtMs());
        out.writeLong(postings.seenAtMs());
    }

    private static SeenPostings readPostings(DataInputStream in) throws IOException {
        int currencies = boundedCount(in, MAX_CURRENCIES);
        SortedMap<String, Long> debits = new TreeMap<>();
        for (int index = 0; index < currencies; index++) {
            debits.put(in.readUTF(), in.readLong());
        }
        int ids = boundedCount(in, SeenPostings.MAX_ENTRY_IDS);
        SortedSet<String> entryIds = new TreeSet<>();
        for (int index = 0; index < ids; index++) {
            entryIds.add(in.readUTF());
        }
        return new SeenPostings(debits, entryIds, in.readLong(), in.readLong());
    }

    private static int boundedCount(DataInputStream in, int max) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > max) {
            throw new SerializationException("Count " + count + " outside 0.." + max);
        }
        return count;
    }
}
