package dev.ngao.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Speaks HTTP/1.1 over a bare socket, one request per connection: unlike an HTTP client library it sends
 * whatever bytes it is given (control characters, absurd lengths, lying lengths), which is what a fuzz
 * test and limit tests need.
 */
public final class RawHttpClient {

    private static final int DEFAULT_TIMEOUT_MS = 10_000;
    private static final int MAXIMUM_RESPONSE_BYTES = 4 * 1024 * 1024;

    private final int port;
    private final int timeoutMs;

    public RawHttpClient(int port) {
        this(port, DEFAULT_TIMEOUT_MS);
    }

    /** @param timeoutMs how long to wait for an answer before {@link #send} fails */
    public RawHttpClient(int port, int timeoutMs) {
        this.port = port;
        this.timeoutMs = timeoutMs;
    }

    /** A response, or none when the server closed the connection without one. */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Builds {@code method target HTTP/1.1}, the headers as given, Connection: close, and the body. */
    public Optional<Response> send(String method, String target, Map<String, String> headers, byte[] body) {
        return exchange(request(method, target, headers, body), false, "HEAD".equals(method));
    }

    /**
     * As {@link #send}, then half-closes: for a request whose body does not match its framing, which the
     * server would otherwise wait on until the timeout (the end of the input ends that wait).
     */
    public Optional<Response> sendThenHalfClose(String method, String target, Map<String, String> headers,
                                                byte[] body) {
        return exchange(request(method, target, headers, body), true, "HEAD".equals(method));
    }

    private byte[] request(String method, String target, Map<String, String> headers, byte[] body) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        write(request, method + " " + target + " HTTP/1.1\r\n");
        write(request, "Host: 127.0.0.1:" + port + "\r\n");
        headers.forEach((name, value) -> write(request, name + ": " + value + "\r\n"));
        if (headers.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("Content-Length")
                || name.equalsIgnoreCase("Transfer-Encoding"))) {
            write(request, "Content-Length: " + body.length + "\r\n");
        }
        write(request, "Connection: close\r\n\r\n");
        request.writeBytes(body);
        return request.toByteArray();
    }

    /**
     * Sends {@code bytes} as they are, then half-closes (they may not be a complete request, and the server
     * would wait for the rest) and reads until the server closes.
     */
    public Optional<Response> sendRaw(byte[] bytes) {
        return exchange(bytes, true, false);
    }

    /**
     * A complete request is not half-closed after: Vert.x takes the end of the input for the end of the
     * connection, and would drop an answer that comes later (after Kafka acknowledged, say).
     */
    private Optional<Response> exchange(byte[] bytes, boolean halfClose, boolean headOnly) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            OutputStream output = socket.getOutputStream();
            try {
                output.write(bytes);
                output.flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (SocketException e) {
                // The server may answer and close before reading everything (a 413, a 431): read what it said.
            }
            return parse(readAll(socket.getInputStream(), headOnly), headOnly);
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("no answer within " + timeoutMs + " ms", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot speak to the server: " + e, e);
        }
    }

    /**
     * Reads until the answer is complete (its Content-Length, or the last chunk) or the server closes: a
     * server may answer before it has read a request whose body never ends, and keep the connection open.
     */
    private static byte[] readAll(InputStream input, boolean headOnly) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] buffer = new byte[8_192];
        try {
            int read;
            while (!complete(response.toByteArray(), headOnly) && (read = input.read(buffer)) != -1
                    && response.size() < MAXIMUM_RESPONSE_BYTES) {
                response.write(buffer, 0, read);
            }
        } catch (SocketException e) {
            // A reset after the answer (the server closed with unread request bytes) loses nothing already read.
        }
        return response.toByteArray();
    }

    /** @param headOnly the answer to a HEAD request: its Content-Length describes a body that is not sent */
    private static boolean complete(byte[] raw, boolean headOnly) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        if (text.startsWith("HTTP/1.1 1")) {
            return complete(java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length), headOnly);
        }
        if (headOnly) {
            return true;
        }
        String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("\r\ncontent-length: *([0-9]+)").matcher(head);
        if (length.find()) {
            return raw.length - headEnd - 4 >= Integer.parseInt(length.group(1));
        }
        return head.contains("transfer-encoding: chunked") && text.endsWith("\r\n0\r\n\r\n");
    }

    private static Optional<Response> parse(byte[] raw, boolean headOnly) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return Optional.empty();
        }
        if (text.startsWith("HTTP/1.1 1")) {
            // An interim answer (100 Continue) comes before the real one.
            return parse(java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length), headOnly);
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int index = 1; index < lines.length; index++) {
            int colon = lines[index].indexOf(':');
            headers.put(lines[index].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[index].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, headEnd + 4, raw.length);
        if (headOnly) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return Optional.of(new Response(status, headers, body));
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String text = new String(chunked, StandardCharsets.ISO_8859_1);
        int position = 0;
        while (position < text.length()) {
            int lineEnd = text.indexOf("\r\n", position);
            int size = Integer.parseInt(text.substring(position, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            body.write(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
        return body.toByteArray();
    }

    private static void write(ByteArrayOutputStream output, String text) {
        output.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
