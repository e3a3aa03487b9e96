package dev.ngao.risk.topology;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoding of risk-streams' internal topics and store values: one format byte ({@value #FORMAT}), then
 * the record in plain Avro binary with its generated schema. No schema registry: only this application
 * writes and reads these bytes, so writer and reader schema are the same class, or, for a record written
 * before fields were appended to its schema, that schema without them (see {@link #decode}). A change of an internal
 * schema that is not only an appended field with a default must bump {@link #FORMAT} and be rolled out
 * with a reset of the application's internal topics.
 */
public final class InternalSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    /** The format byte every value starts with. */
    public static final byte FORMAT = 2;

    private final Class<T> type;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final Schema schema;
    /** See {@link #olderReaders()}: written by a decoding thread, a benign race (each makes the same list). */
    private volatile List<SpecificDatumReader<T>> older;

    private InternalSerde(Class<T> type) {
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema);
        this.reader = new SpecificDatumReader<>(schema);
    }

    public static <T extends SpecificRecord> InternalSerde<T> of(Class<T> type) {
        return new InternalSerde<>(type);
    }

    /** The bytes of {@code value}, format byte included. */
    public byte[] encode(T value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(FORMAT);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode a " + type.getSimpleName(), e);
        }
        return bytes.toByteArray();
    }

    /**
     * The value of {@code data}. A record written before fields were appended to its schema (each with a default)
     * is shorter than the schema says: it is read again with the schema it was written with, the current one
     * without its last fields, one more at a time, and the appended fields take their defaults. The schema that
     * reads every byte and no more is the writer's: an appended field takes at least one byte, so a longer
     * schema runs out of bytes and a shorter one leaves some.
     */
    public T decode(byte[] data) {
        if (data.length == 0 || data[0] != FORMAT) {
            throw new SerializationException("not a format-" + FORMAT + " " + type.getSimpleName());
        }
        Exception failure;
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, 1, data.length - 1, null);
            T value = reader.read(null, decoder);
            if (decoder.isEnd()) {
                return value;
            }
            failure = new IOException("bytes left after the record");
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        for (SpecificDatumReader<T> older : olderReaders()) {
            try {
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, 1, data.length - 1, null);
                T value = older.read(null, decoder);
                if (decoder.isEnd()) {
                    return value;
                }
            } catch (IOException | RuntimeException e) {
                // not the schema it was written with; try the next
            }
        }
        throw new SerializationException("cannot decode a " + type.getSimpleName(), failure);
    }

    /**
     * Readers from the schemas this one was before its trailing defaulted fields were appended (newest first),
     * resolving to the current schema; made on first need, as only records from before an upgrade need them.
     */
    private List<SpecificDatumReader<T>> olderReaders() {
        List<SpecificDatumReader<T>> readers = older;
        if (readers == null) {
            readers = new ArrayList<>();
            List<Schema.Field> fields = schema.getFields();
            for (int kept = fields.size() - 1; kept >= 1 && fields.get(kept).hasDefaultValue(); kept--) {
                List<Schema.Field> prefix = new ArrayList<>();
                for (Schema.Field field : fields.subList(0, kept)) {
                    prefix.add(new Schema.Field(field, field.schema()));
                }
                Schema writer = Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(),
                        schema.isError(), prefix);
                readers.add(new SpecificDatumReader<>(writer, schema));
            }
            older = readers;
        }
        return readers;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : encode(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : decode(data);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the schema is the class's.
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
