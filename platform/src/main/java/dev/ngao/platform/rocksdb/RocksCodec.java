package dev.ngao.platform.rocksdb;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The key and value encodings Ngao's RocksDB stores share. They are on disk: changing one makes existing data
 * directories unreadable, so each is fixed here once and named for what it writes.
 */
public final class RocksCodec {

    /** Separates the text parts of a key; never inside a topic name, and ids are checked before they get here. */
    public static final byte SEPARATOR = 0;

    private RocksCodec() {
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static String string(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** 8 bytes big-endian, so RocksDB's byte order is numeric order for the non-negative numbers stored. */
    public static byte[] longBytes(long value) {
        return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
    }

    /** The number {@link #longBytes} wrote, or empty when nothing was stored. */
    public static OptionalLong readLong(byte[] value) {
        return value == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(value).getLong());
    }

    /** {@code topic}, 0x00, partition (4 bytes big-endian): where a consumed partition's next offset is kept. */
    public static byte[] offsetKey(TopicPartition partition) {
        byte[] topic = utf8(partition.topic());
        return ByteBuffer.allocate(topic.length + 1 + Integer.BYTES)
                .put(topic).put(SEPARATOR).putInt(partition.partition()).array();
    }

    /** {@code text} then 0x00: every key of the form text, 0x00, ... starts with it. */
    public static byte[] prefixKey(String text) {
        byte[] utf8 = utf8(text);
        return Arrays.copyOf(utf8, utf8.length + 1);
    }

    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            buffer.put(part);
        }
        return buffer.array();
    }

    public static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** An Avro record in single-object encoding (it carries its schema's fingerprint): {@code Type::toByteBuffer}. */
    public static <T> byte[] toAvro(T record, AvroEncoder<T> encoder) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("a record cannot be encoded", e);
        }
    }

    /** Decodes what {@link #toAvro} wrote: {@code Type::fromByteBuffer}. */
    public static <T> T fromAvro(byte[] bytes, AvroDecoder<T> decoder) {
        try {
            return decoder.decode(ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException("a stored record cannot be decoded", e);
        }
    }

    /** A generated Avro class's {@code toByteBuffer}. */
    @FunctionalInterface
    public interface AvroEncoder<T> {
        ByteBuffer encode(T record) throws IOException;
    }

    /** A generated Avro class's {@code fromByteBuffer}. */
    @FunctionalInterface
    public interface AvroDecoder<T> {
        T decode(ByteBuffer buffer) throws IOException;
    }
}
