package dev.ngao.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Confluent Schema Registry stand-in on the JDK's HTTP server, answering the endpoints
 * {@link RestSchemaRegistryClient} uses from maps in memory, with Confluent's status and error codes.
 * It refuses requests without Confluent's media type (Accept, and Content-Type of a POST), so every test
 * also checks that the client sends it.
 */
final class FakeConfluentRegistry implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private final HttpServer server;
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByText = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile String requiredAuthorization;
    private int nextId = 1;

    private FakeConfluentRegistry(HttpServer server) {
        this.server = server;
    }

    static FakeConfluentRegistry start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        FakeConfluentRegistry registry = new FakeConfluentRegistry(server);
        server.createContext("/", registry::handle);
        server.start();
        return registry;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on, answer 401 unless this exact Authorization header is sent. */
    void requireAuthorization(String headerValue) {
        this.requiredAuthorization = headerValue;
    }

    /** Every request so far, as "METHOD raw-path". */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** The Authorization header of every request so far ("" when absent). */
    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            requests.add(method + " " + rawPath);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization == null ? "" : authorization);
            if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
                reply(exchange, 401, error(40101, "Unauthorized"));
                return;
            }
            if (!RestSchemaRegistryClient.MEDIA_TYPE.equals(exchange.getRequestHeaders().getFirst("Accept"))) {
                reply(exchange, 406, error(406, "HTTP 406 Not Acceptable"));
                return;
            }
            if ("POST".equals(method)
                    && !RestSchemaRegistryClient.MEDIA_TYPE.equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                reply(exchange, 415, error(415, "HTTP 415 Unsupported Media Type"));
                return;
            }
            route(exchange, method, rawPath.split("/"));
        }
    }

    private void route(HttpExchange exchange, String method, String[] segments) throws IOException {
        // segments[0] is the empty string before the leading slash.
        if (method.equals("POST") && segments.length == 4 && segments[1].equals("subjects")
                && segments[3].equals("versions")) {
            register(exchange, decode(segments[2]));
        } else if (method.equals("GET") && segments.length == 5 && segments[1].equals("subjects")
                && segments[3].equals("versions") && segments[4].equals("latest")) {
            latest(exchange, decode(segments[2]));
        } else if (method.equals("POST") && segments.length == 3 && segments[1].equals("subjects")) {
            lookUp(exchange, decode(segments[2]));
        } else if (method.equals("GET") && segments.length == 4 && segments[1].equals("schemas")
                && segments[2].equals("ids")) {
            schemaById(exchange, Integer.parseInt(segments[3]));
        } else if (method.equals("POST") && segments.length == 6 && segments[1].equals("compatibility")
                && segments[2].equals("subjects") && segments[4].equals("versions") && segments[5].equals("latest")) {
            compatibility(exchange, decode(segments[3]));
        } else {
            reply(exchange, 404, error(404, "HTTP 404 Not Found"));
        }
    }

    private void register(HttpExchange exchange, String subject) throws IOException {
        Schema schema = requestSchema(exchange);
        if (schema == null) {
            return;
        }
        String text = schema.toString();
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, ignored -> new ArrayList<>());
        Integer existing = idsByText.get(text);
        if (existing != null && versions.contains(existing)) {
            reply(exchange, 200, Map.of("id", existing));
            return;
        }
        if (!versions.isEmpty()) {
            Schema latest = new Schema.Parser().parse(schemasById.get(versions.get(versions.size() - 1)));
            if (!Compatibility.isBackwardCompatible(schema, latest)) {
                reply(exchange, 409, error(409, "Schema being registered is incompatible with an earlier schema"));
                return;
            }
        }
        int id = idsByText.computeIfAbsent(text, ignored -> nextId++);
        schemasById.put(id, text);
        versions.add(id);
        reply(exchange, 200, Map.of("id", id));
    }

    private void lookUp(HttpExchange exchange, String subject) throws IOException {
        Schema schema = requestSchema(exchange);
        if (schema == null) {
            return;
        }
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            reply(exchange, 404, error(40401, "Subject '" + subject + "' not found."));
            return;
        }
        Integer id = idsByText.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            reply(exchange, 404, error(40403, "Schema not found"));
            return;
        }
        reply(exchange, 200, version(subject, versions.indexOf(id) + 1, id));
    }

    private void latest(HttpExchange exchange, String subject) throws IOException {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            reply(exchange, 404, error(40401, "Subject '" + subject + "' not found."));
            return;
        }
        reply(exchange, 200, version(subject, versions.size(), versions.get(versions.size() - 1)));
    }

    private void schemaById(HttpExchange exchange, int id) throws IOException {
        String text = schemasById.get(id);
        if (text == null) {
            reply(exchange, 404, error(40403, "Schema " + id + " not found"));
            return;
        }
        reply(exchange, 200, Map.of("schema", text));
    }

    private void compatibility(HttpExchange exchange, String subject) throws IOException {
        Schema schema = requestSchema(exchange);
        if (schema == null) {
            return;
        }
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            reply(exchange, 404, error(40401, "Subject '" + subject + "' not found."));
            return;
        }
        Schema latest = new Schema.Parser().parse(schemasById.get(versions.get(versions.size() - 1)));
        reply(exchange, 200, Map.of("is_compatible", Compatibility.isBackwardCompatible(schema, latest)));
    }

    /** The Avro schema of a request body, or null after answering 422 as Confluent does. */
    private Schema requestSchema(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            JsonNode request = JSON.readTree(body.readNBytes(MAX_REQUEST_BYTES));
            return new Schema.Parser().parse(request.path("schema").asText());
        } catch (SchemaParseException | IOException e) {
            reply(exchange, 422, error(42201, "Invalid schema"));
            return null;
        }
    }

    private Map<String, Object> version(String subject, int version, int id) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("subject", subject);
        answer.put("version", version);
        answer.put("id", id);
        answer.put("schema", schemasById.get(id));
        return answer;
    }

    private static Map<String, Object> error(int errorCode, String message) {
        return Map.of("error_code", errorCode, "message", message);
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.MEDIA_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
