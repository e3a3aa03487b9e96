package dev.ngao.ingest.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Values of ingest's state stores as JSON (records, enums and instants, by Jackson): the stores are emptied at
 * every start, so the encoding never has to read what another version wrote, and JSON keeps it readable.
 */
public final class JsonValues {

    /** Instants as seconds with nanoseconds: exact both ways. */
    private static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new JavaTimeModule()).build();

    private JsonValues() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a state value cannot be encoded: " + value.getClass().getName(), e);
        }
    }

    /** The value {@link #write} wrote, or null for null. */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return json == null ? null : MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored " + type.getSimpleName() + " cannot be decoded", e);
        }
    }

    /** As {@link #read(byte[], Class)}, for generic types. */
    public static <T> T read(byte[] json, TypeReference<T> type) {
        try {
            return json == null ? null : MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored value cannot be decoded", e);
        }
    }
}
