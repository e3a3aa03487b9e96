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

/**
 * The encoding of risk-streams' internal topics and store values: one format byte ({@value #FORMAT}), then
 * the record in plain Avro binary with its generated schema. No schema registry: only this application
 * writes and reads these bytes, so writer and reader schema are the same class. A change of an internal
 * schema that is not only an appended field with a default must bump {@link #FORMAT} and be rolled out
 * with a reset of the application's internal topics.
 */
public final class InternalSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    /** The format byte every value starts with. */
    public static final byte FORMAT = 2;

    private final Class<T> type;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;

    private InternalSerde(Class<T> type) {
        this.type = type;
        Schema schema = SpecificData.get().getSchema(type);
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

    public T decode(byte[] data) {
        if (data.length == 0 || data[0] != FORMAT) {
            throw new SerializationException("not a format-" + FORMAT + " " + type.getSimpleName());
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, 1, data.length - 1, null);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode a " + type.getSimpleName(), e);
        }
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
