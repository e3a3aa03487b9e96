package dev.ngao.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Request bodies for validator tests: JSON text parsed into plain maps, as the routes hand them over. */
public final class TestBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestBodies() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("test body is not JSON: " + json, e);
        }
    }

    /** A copy of {@code body} with {@code field} set to {@code value}, or removed when {@code value} is null. */
    public static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(body);
        if (value == null) {
            copy.remove(field);
        } else {
            copy.put(field, value);
        }
        return copy;
    }

    /** The refused field names of an invalid result; fails if the result is valid. */
    public static List<String> refusedFields(Validation<?> result) {
        if (!(result instanceof Validation.Invalid<?> invalid)) {
            throw new AssertionError("expected a refusal, got " + result);
        }
        return invalid.errors().stream().map(FieldError::field).collect(Collectors.toList());
    }

    /** Every message of an invalid result in one text, to check none repeats a value. */
    public static String messages(Validation<?> result) {
        if (!(result instanceof Validation.Invalid<?> invalid)) {
            throw new AssertionError("expected a refusal, got " + result);
        }
        return invalid.errors().toString();
    }

    @SuppressWarnings("unchecked")
    public static <T> T valid(Validation<T> result) {
        if (!(result instanceof Validation.Valid<?> valid)) {
            throw new AssertionError("expected a valid request, got " + result);
        }
        return (T) valid.value();
    }
}
