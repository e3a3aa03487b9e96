package dev.ngao.ingest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * The checks a request body passes before it is decoded: one JSON value and nothing after it, no object
 * with the same key twice (which of two {@code amount}s would count is up to each parser, an ambiguity
 * attackers use), nesting no deeper than any request needs, and numbers and strings of bounded length.
 */
public final class StrictJson {

    /** Request bodies are flat objects; a little depth is left for the ones with a nested object or two. */
    public static final int MAXIMUM_NESTING_DEPTH = 32;
    /** Digits of one number: amounts are strings, so a long number is only ever an attack on the parser. */
    public static final int MAXIMUM_NUMBER_LENGTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAXIMUM_NESTING_DEPTH)
                    .maxNumberLength(MAXIMUM_NUMBER_LENGTH)
                    .build())
            .build();

    private StrictJson() {
    }

    /** Whether {@code body} is one well-formed JSON value within the limits, without repeated keys. */
    public static boolean wellFormed(Buffer body) {
        try (JsonParser parser = FACTORY.createParser(body.getBytes())) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
