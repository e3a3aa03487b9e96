package dev.ngao.risk.topology;

import dev.ngao.events.RiskDecision;
import dev.ngao.risk.internal.DecidedState;
import dev.ngao.risk.internal.DecidedTransaction;
import dev.ngao.risk.internal.Reservation;
import dev.ngao.risk.internal.ReservedCounter;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import dev.ngao.schemas.SampleEvents;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InternalSerdeTest {

    private static final InternalSerde<Reservation> RESERVATIONS = InternalSerde.of(Reservation.class);
    private static final InternalSerde<DecidedTransaction> DECIDED = InternalSerde.of(DecidedTransaction.class);

    private static Reservation reservation() {
        return Reservation.newBuilder().setTransactionId("tx-1").setAccountId("acct-a").setSeenAtMs(1_000L)
                .setCounters(List.of(new ReservedCounter("ACCOUNT|acct-a|daily|KES", 0L, false, 500L)))
                .setCurrency("KES").setAmountMinor(500L).setRequestedAtMs(900L).setForced(true).setCardFundsMinor(-500L)
                .build();
    }

    @Test
    void shouldReadBackWhatItWrote() {
        Reservation written = reservation();
        assertThat(RESERVATIONS.decode(RESERVATIONS.encode(written))).isEqualTo(written);
    }

    /**
     * The generated classes' own coders are switched on: the bytes must stay Avro's, the same as the schema-walking
     * writer of earlier versions wrote and reads, for a record with its own coders (Reservation) and for one with
     * logical types, which has none and must keep its conversions (RiskDecision: timestamps as Instant).
     */
    @Test
    void shouldWriteAndReadTheSameBytesAsAvrosSchemaWalkingCoders() throws IOException {
        assertSameBytesBothWays(RESERVATIONS, reservation());
        assertSameBytesBothWays(InternalSerde.of(RiskDecision.class), SampleEvents.riskDecision());
    }

    private static <T extends SpecificRecord> void assertSameBytesBothWays(InternalSerde<T> serde, T record)
            throws IOException {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        SpecificData classModel = SpecificData.getForClass(type);
        assertThat(classModel.useCustomCoders()).as("the class's shared model is left as it was").isFalse();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(InternalSerde.FORMAT);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        new SpecificDatumWriter<T>(record.getSchema(), classModel).write(record, encoder);
        encoder.flush();
        byte[] walked = bytes.toByteArray();

        assertThat(serde.encode(record)).as("%s written", type.getSimpleName()).isEqualTo(walked);
        assertThat(serde.decode(walked)).as("%s read", type.getSimpleName()).isEqualTo(record);
    }

    @Test
    void shouldReadARecordWrittenBeforeItsLastFieldsWereAppendedWithTheirDefaults() throws IOException {
        // Given a reservation written by a version whose schema ended two fields earlier
        Reservation current = reservation();
        int fields = Reservation.getClassSchema().getFields().size();
        for (int dropped = 1; dropped <= 2; dropped++) {
            byte[] old = writtenWithout(current, dropped);

            // When read now
            Reservation read = RESERVATIONS.decode(old);

            // Then every field it had is there, and the appended ones hold their defaults
            for (int field = 0; field < fields - dropped; field++) {
                assertThat(read.get(field)).as("field %d", field).isEqualTo(current.get(field));
            }
            for (int field = fields - dropped; field < fields; field++) {
                Schema.Field appended = Reservation.getClassSchema().getFields().get(field);
                assertThat(read.get(field)).as(appended.name())
                        .isEqualTo(org.apache.avro.specific.SpecificData.get().getDefaultValue(appended))
                        .isNotEqualTo(current.get(field));
            }
        }
    }

    @Test
    void shouldReadADecidedTransactionWrittenBeforeTheResolutionWasKept() throws IOException {
        DecidedTransaction current = new DecidedTransaction("tx-2", "acct-b", DecidedState.APPROVED, 5_000L, null,
                "APPROVE", "TIMEOUT_DEFAULT", ByteBuffer.wrap(new byte[] {1, 2, 3}), null);

        DecidedTransaction read = DECIDED.decode(writtenWithout(current, 1));

        assertThat(read).isEqualTo(current);
    }

    @Test
    void shouldRefuseBytesNoSchemaOfItReadsExactly() {
        byte[] written = RESERVATIONS.encode(reservation());
        byte[] longer = java.util.Arrays.copyOf(written, written.length + 3);
        assertThatThrownBy(() -> RESERVATIONS.decode(longer)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> RESERVATIONS.decode(new byte[] {1, 2})).isInstanceOf(SerializationException.class)
                .hasMessageContaining("not a format-" + InternalSerde.FORMAT);
    }

    /** The bytes an older version wrote: format byte, then the record under the schema without its last fields. */
    private static byte[] writtenWithout(SpecificRecord record, int dropped) throws IOException {
        Schema schema = record.getSchema();
        List<Schema.Field> prefix = new ArrayList<>();
        for (Schema.Field field : schema.getFields().subList(0, schema.getFields().size() - dropped)) {
            prefix.add(new Schema.Field(field, field.schema()));
        }
        Schema older = Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, prefix);
        GenericRecord copy = new GenericData.Record(older);
        for (Schema.Field field : older.getFields()) {
            copy.put(field.name(), record.get(schema.getField(field.name()).pos()));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(InternalSerde.FORMAT);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(older, org.apache.avro.specific.SpecificData.get()).write(copy, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }
}
