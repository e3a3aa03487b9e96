package dev.ngao.schemas.serde;

import dev.ngao.schemas.registry.SchemaRegistryClient;
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
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Avro specific records in Confluent's wire format: magic byte 0, the 4-byte big-endian schema id,
 * then Avro binary. Subjects follow TopicNameStrategy ({@code <topic>-value}, {@code <topic>-key}).
 *
 * <p>Written here rather than taken from Confluent because Confluent's serializer is not published on
 * Maven Central; the format is small and documented, and this class follows it byte for byte.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    public static final byte MAGIC_BYTE = 0;
    private static final int HEADER_BYTES = 5;

    private final SchemaRegistryClient registry;
    private final Class<T> type;
    private final boolean autoRegister;
    private final boolean isKey;
    private final SpecificData model;
    private final Schema readerSchema;
    private final SpecificDatumWriter<T> writer;
    private final Map<String, Integer> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, SpecificDatumReader<T>> readersById = new ConcurrentHashMap<>();

    public AvroSerde(SchemaRegistryClient registry, Class<T> type, boolean autoRegister, boolean isKey) {
        this.registry = registry;
        this.type = type;
        this.autoRegister = autoRegister;
        this.isKey = isKey;
        this.model = SpecificData.getForClass(type);
        this.readerSchema = model.getSchema(type);
        this.writer = new SpecificDatumWriter<>(readerSchema, model);
    }

    /** A value serde (subject {@code <topic>-value}). */
    public static <T extends SpecificRecord> AvroSerde<T> forValues(
            SchemaRegistryClient registry, Class<T> type, boolean autoRegister) {
        return new AvroSerde<>(registry, type, autoRegister, false);
    }

    @Override
    public Serializer<T> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }

    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        try {
            int id = idsBySubject.computeIfAbsent(subject(topic), this::resolveId);
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot serialize " + type.getSimpleName() + " for topic " + topic, e);
        }
    }

    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < HEADER_BYTES || bytes[0] != MAGIC_BYTE) {
            throw new SerializationException("Not Confluent wire format on topic " + topic + ": unknown magic byte");
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        try {
            SpecificDatumReader<T> reader = readersById.computeIfAbsent(id,
                    schemaId -> new SpecificDatumReader<>(registry.schemaById(schemaId), readerSchema, model));
            BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot deserialize schema id " + id + " as " + type.getSimpleName()
                    + " from topic " + topic, e);
        }
    }

    private String subject(String topic) {
        return topic + (isKey ? "-key" : "-value");
    }

    private int resolveId(String subject) {
        return autoRegister ? registry.register(subject, readerSchema) : registry.idOf(subject, readerSchema);
    }
}
