package dev.ngao.ingest.idempotency;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How {@link ClaimTable} stores a state: the instant the sweep may remove it (milliseconds), a kind byte, then
 * the state's fields. The table's directory is wiped at every start, so this layout never has to read what an
 * older version wrote.
 */
final class ClaimStateCodec {

    private static final byte CLAIMED = 1;
    private static final byte ACCEPTED = 2;
    private static final byte COMPLETED = 3;

    private ClaimStateCodec() {
    }

    /** A state with the instant from which the sweep may remove it. */
    record Stored(ClaimState state, long sweepAtMillis) {
    }

    static byte[] encode(ClaimState state, long sweepAtMillis) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(sweepAtMillis);
            out.writeByte(state instanceof ClaimState.Accepted ? ACCEPTED
                    : state instanceof ClaimState.Completed ? COMPLETED : CLAIMED);
            out.writeUTF(state.claimId());
            out.writeUTF(state.fingerprint());
            out.writeLong(state.expiresAt().toEpochMilli());
            if (state instanceof ClaimState.Accepted accepted) {
                out.writeUTF(accepted.subjectId());
            } else if (state instanceof ClaimState.Completed completed) {
                writeAnswer(out, completed.answer());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a claim state cannot be encoded", e);
        }
        return bytes.toByteArray();
    }

    private static void writeAnswer(DataOutputStream out, RecordedAnswer answer) throws IOException {
        out.writeInt(answer.status());
        out.writeInt(answer.headers().size());
        for (RecordedAnswer.Header header : answer.headers()) {
            out.writeUTF(header.name());
            out.writeUTF(header.value());
        }
        byte[] body = answer.body();
        out.writeInt(body.length);
        out.write(body);
    }

    static Stored decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            long sweepAtMillis = in.readLong();
            byte kind = in.readByte();
            String claimId = in.readUTF();
            String fingerprint = in.readUTF();
            Instant expiresAt = Instant.ofEpochMilli(in.readLong());
            ClaimState state = switch (kind) {
                case CLAIMED -> new ClaimState.Claimed(claimId, fingerprint, expiresAt);
                case ACCEPTED -> new ClaimState.Accepted(claimId, fingerprint, expiresAt, in.readUTF());
                case COMPLETED -> new ClaimState.Completed(claimId, fingerprint, readAnswer(in), expiresAt);
                default -> throw new IllegalStateException("unknown claim state kind " + kind);
            };
            return new Stored(state, sweepAtMillis);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored claim state cannot be decoded", e);
        }
    }

    /** The sweep instant alone, without decoding the state. */
    static long sweepAtMillis(byte[] value) {
        return ByteBuffer.wrap(value, 0, Long.BYTES).getLong();
    }

    private static RecordedAnswer readAnswer(DataInputStream in) throws IOException {
        int status = in.readInt();
        int headerCount = in.readInt();
        List<RecordedAnswer.Header> headers = new ArrayList<>(headerCount);
        for (int index = 0; index < headerCount; index++) {
            headers.add(new RecordedAnswer.Header(in.readUTF(), in.readUTF()));
        }
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return new RecordedAnswer(status, headers, body);
    }
}
