package dev.ngao.notifier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transport against real sockets: the merchant's answer is its status line, whatever the body after it
 * does, and an attempt with no status line within the deadline fails.
 */
class VertxWebhookTransportTest {

    private static final Map<String, String> HEADERS = Map.of(WebhookSigner.ID_HEADER,
            "msg_0123456789abcdef0123456789abcdef");
    private static final byte[] BODY = "{\"type\":\"transaction.final_status\"}".getBytes(StandardCharsets.UTF_8);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final long WAIT_SECONDS = 20;

    private final Vertx vertx = Vertx.vertx();
    private final Vertx merchantVertx = Vertx.vertx();
    private final VertxWebhookTransport transport = new VertxWebhookTransport(vertx, 1_000, 8);
    private final List<Socket> openSockets = new CopyOnWriteArrayList<>();
    private ServerSocket rawServer;

    @AfterEach
    void close() throws Exception {
        transport.close();
        if (rawServer != null) {
            rawServer.close();
        }
        for (Socket socket : openSockets) {
            socket.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        merchantVertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void shouldAnswerTheStatusWhenTheMerchantAcknowledgesAndItsBodyNeverEnds() throws Exception {
        // Given a merchant that answers 200 with a body it announces and never finishes
        URI url = rawMerchant("HTTP/1.1 200 OK\r\nContent-Length: 64\r\n\r\n{\"recei");

        // When
        int status = await(transport.post(url, HEADERS, BODY, TIMEOUT));

        // Then the 200 is the answer: the attempt is not failed (and the message sent again) for the body
        assertThat(status).isEqualTo(200);
    }

    @Test
    void shouldAnswerTheStatusWhenTheMerchantClosesTheConnectionInItsBody() throws Exception {
        // Given a merchant that answers 200 and closes the connection in the middle of the body
        URI url = rawMerchantThatCloses("HTTP/1.1 200 OK\r\nContent-Length: 64\r\n\r\n{\"recei");

        // When
        int status = await(transport.post(url, HEADERS, BODY, TIMEOUT));

        // Then
        assertThat(status).isEqualTo(200);
    }

    @Test
    void shouldAnswerEachAttemptsStatusWhenManyAttemptsFollowEachOther() throws Exception {
        // Given a merchant alternating 503 with a problem body and 200 with an empty one, on kept-alive
        // connections; each answer is whole in one write, so it can have ended before the attempt's callbacks run
        AtomicInteger received = new AtomicInteger();
        HttpServer server = merchantVertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    boolean fail = received.incrementAndGet() % 2 == 1;
                    if (fail) {
                        request.response().setStatusCode(503).putHeader("Content-Type", "application/problem+json")
                                .end("{\"title\":\"try later\"}");
                    } else {
                        request.response().setStatusCode(200).end();
                    }
                }))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        URI url = URI.create("http://127.0.0.1:" + server.actualPort() + "/hooks");
        int attempts = 2_000;

        // When attempts are posted one after another from a thread outside Vert.x, as the dispatcher does
        List<Integer> answers = new ArrayList<>();
        for (int attempt = 0; attempt < attempts; attempt++) {
            answers.add(await(transport.post(url, HEADERS, BODY, TIMEOUT)));
        }

        // Then every attempt reports what the merchant answered, and the merchant saw each once
        assertThat(received).hasValue(attempts);
        List<Integer> expected = new ArrayList<>();
        for (int attempt = 0; attempt < attempts; attempt++) {
            expected.add(attempt % 2 == 0 ? 503 : 200);
        }
        assertThat(answers).isEqualTo(expected);
    }

    @Test
    void shouldFailTheAttemptWhenNoStatusLineComesWithinTheTimeout() throws Exception {
        // Given a merchant that reads the request and never answers
        URI url = rawMerchant("");

        // When / Then
        assertThatThrownBy(() -> await(transport.post(url, HEADERS, BODY, Duration.ofMillis(300))))
                .isInstanceOf(ExecutionException.class);
    }

    private static int await(Future<Integer> answer) throws Exception {
        return answer.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** A merchant on a plain socket: reads each request whole, writes {@code answer} and keeps the connection. */
    private URI rawMerchant(String answer) throws IOException {
        return startRawMerchant(answer, false);
    }

    /** As {@link #rawMerchant}, then closes the connection. */
    private URI rawMerchantThatCloses(String answer) throws IOException {
        return startRawMerchant(answer, true);
    }

    private URI startRawMerchant(String answer, boolean closeAfter) throws IOException {
        rawServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket server = rawServer;
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    openSockets.add(socket);
                    readRequest(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    out.write(answer.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (closeAfter) {
                        socket.close();
                    }
                } catch (IOException e) {
                    // The test closed the server or the client gave up: the merchant stops with it.
                    return;
                }
            }
        }, "raw-merchant");
        acceptor.setDaemon(true);
        acceptor.start();
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/hooks");
    }

    /** Reads the head up to the blank line, then as many body bytes as Content-Length says. */
    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("request ended in its head");
            }
            head.write(next);
            matched = next == end[matched] ? matched + 1 : (next == '\r' ? 1 : 0);
        }
        long length = head.toString(StandardCharsets.US_ASCII).lines()
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .mapToLong(line -> Long.parseLong(line.substring("content-length:".length()).trim()))
                .findFirst().orElse(0);
        if (in.readNBytes((int) length).length != length) {
            throw new IOException("request ended in its body");
        }
    }
}
