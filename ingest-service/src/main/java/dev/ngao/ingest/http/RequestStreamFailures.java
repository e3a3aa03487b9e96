package dev.ngao.ingest.http;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpClosedException;

/**
 * Tells a failure of the request itself from a fault of the service: a body whose chunked encoding is
 * garbage, or a connection closed mid-body, reaches the failure handler as an exception thrown by the HTTP
 * decoder; that is the caller's doing and gets a 400, not a 500 (which is kept for our own faults).
 */
public final class RequestStreamFailures {

    private static final String DECODER_PACKAGE = "io.netty.handler.codec.";

    private RequestStreamFailures() {
    }

    public static boolean isCallersFault(Throwable failure) {
        if (failure instanceof DecoderException || failure instanceof TooLongFrameException
                || failure instanceof HttpClosedException) {
            return true;
        }
        // Netty reports a malformed chunk size as a plain NumberFormatException: recognised by where it was thrown.
        StackTraceElement[] trace = failure == null ? new StackTraceElement[0] : failure.getStackTrace();
        for (StackTraceElement frame : trace) {
            if (frame.getClassName().startsWith("java.")) {
                continue;
            }
            return frame.getClassName().startsWith(DECODER_PACKAGE);
        }
        return false;
    }
}
