package dev.ngao.ingest.ops;

import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;

/**
 * The HTTP decoder's limits, set explicitly rather than trusted to defaults: a request line or headers
 * beyond them are answered 414 or 431 by {@link InvalidRequests} before any route sees the request.
 * Cleartext HTTP/2 (h2c upgrade) is off: on that path the HTTP/1 limits did not apply and an oversized
 * header was answered by a dropped connection; the API speaks HTTP/1.1 (HTTP/2 only where TLS negotiates
 * it, under the same header limit).
 */
public final class HttpLimits {

    /** Method, path and query: ids are short, so 4 KiB is plenty. */
    public static final int MAXIMUM_INITIAL_LINE_BYTES = 4_096;
    /** All header lines together: a signed request needs about 1 KiB. */
    public static final int MAXIMUM_HEADER_BYTES = 8_192;
    /** Body bytes handed to the router at a time; the body limit itself is the body handler's. */
    public static final int MAXIMUM_CHUNK_BYTES = 8_192;

    private HttpLimits() {
    }

    public static HttpServerOptions apply(HttpServerOptions options) {
        return options
                .setMaxInitialLineLength(MAXIMUM_INITIAL_LINE_BYTES)
                .setMaxHeaderSize(MAXIMUM_HEADER_BYTES)
                .setMaxChunkSize(MAXIMUM_CHUNK_BYTES)
                .setHttp2ClearTextEnabled(false)
                .setInitialSettings(new Http2Settings().setMaxHeaderListSize(MAXIMUM_HEADER_BYTES))
                .setCompressionSupported(false)
                .setDecompressionSupported(false);
    }
}
