package dev.ngao.ingest.http;

/** One refused field of a request body; the message never repeats the value, which may be PII. */
public record FieldError(String field, String message) {
}
