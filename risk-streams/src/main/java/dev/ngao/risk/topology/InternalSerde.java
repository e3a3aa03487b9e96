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
    /** A thread keeps its encoding buffer up to this size. */
    private static final int MAXIMUM_KEPT_BUFFER = 1 << 20;

    /** Per thread: the output buffer and the buffered encoder of the last encode, reused. */
    private static final ThreadLocal<Encoding> ENCODING = ThreadLocal.withInitial(Encoding::new);
    /** Per thread: the decoder of the last decode, reused (it holds no bytes between calls). */
    private static final ThreadLocal<BinaryDecoder[]> DECODER = ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

    private final Class<T> type;
    /**
     * The class's Avro model (its logical-type conversions) with the generated classes' own encoders and
     * decoders switched on (off by default in Avro 1.12): they write and read the fields directly instead of
     * walking the schema per field (measured with risk-streams/bench/core.sh, see the module README). Classes
     * with logical types have none and are written as before.
     */
    private final SpecificData model;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final Schema schema;
    /** See {@link #olderReaders()}: written by a decoding thread, a benign race (each makes the same list). */
    private volatile List<SpecificDatumReader<T>> older;

    private InternalSerde(Class<T> type) {
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
        this.model = customCoders(type);
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.reader = new SpecificDatumReader<>(schema, schema, model);
    }

    /** A model of its own: the class's model is shared with every other user of the class. */
    private static SpecificData customCoders(Class<?> type) {
        SpecificData model = new SpecificData(type.getClassLoader());
        SpecificData.getForClass(type).getConversions().forEach(model::addLogicalTypeConversion);
        model.setCustomCoders(true);
        return model;
    }

    /** A reused, growing byte buffer and the buffered encoder writing to it. */
    private static final class Encoding {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        BinaryEncoder encoder;
    }

    public static <T extends SpecificRecord> InternalSerde<T> of(Class<T> type) {
        return new InternalSerde<>(type);
    }

    /** The bytes of {@code value}, format byte included. */
    public byte[] encode(T value) {
        Encoding encoding = ENCODING.get();
        encoding.bytes.reset();
        encoding.bytes.write(FORMAT);
        encoding.encoder = EncoderFactory.get().binaryEncoder(encoding.bytes, encoding.encoder);
        try {
            writer.write(value, encoding.encoder);
            encoding.encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode a " + type.getSimpleName(), e);
        } finally {
            // A record of an unusual size does not keep its buffer for the thread's life.
            if (encoding.bytes.size() > MAXIMUM_KEPT_BUFFER) {
                ENCODING.remove();
            }
        }
        return encoding.bytes.toByteArray();
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
            BinaryDecoder[] reused = DECODER.get();
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, 1, data.length - 1, reused[0]);
            reused[0] = decoder;
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
                readers.add(new SpecificDatumReader<>(writer, schema, model));
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
