package dev.ngao.providers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A provider on the loopback that answers from a script, one scripted answer per request in order (the last
 * repeats), and records what it received.
 */
public final class FakeProviderServer implements AutoCloseable {

    public record Scripted(int status, Map<String, String> headers, String body, Duration delay) {
        public static Scripted json(int status, String body) {
            return new Scripted(status, Map.of("Content-Type", "application/json"), body, Duration.ZERO);
        }

        public static Scripted status(int status) {
            return new Scripted(status, Map.of(), "", Duration.ZERO);
        }

        public Scripted withHeader(String name, String value) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.put(name, value);
            return new Scripted(status, all, body, delay);
        }

        public Scripted after(Duration delay) {
            return new Scripted(status, headers, body, delay);
        }
    }

    public record Received(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Scripted> script = new ConcurrentLinkedQueue<>();
    private volatile Scripted last = Scripted.status(200);
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public FakeProviderServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public FakeProviderServer answer(Scripted... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    public List<Received> received() {
        return received;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        Scripted answer = script.poll();
        if (answer == null) {
            answer = last;
        } else {
            last = answer;
        }
        try {
            if (!answer.delay().isZero()) {
                Thread.sleep(answer.delay().toMillis());
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client gave up (a timeout under test): nothing to answer.
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
