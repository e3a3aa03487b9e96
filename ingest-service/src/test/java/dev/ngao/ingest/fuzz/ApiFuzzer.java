package dev.ngao.ingest.fuzz;

import dev.ngao.ingest.RawHttpClient;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.RequestSigning;
import dev.ngao.platform.webhook.WebhookSignatureScheme;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Throws malformed requests at routes with a seeded generator, so a failure is replayed by its seed and
 * request number: random bytes, truncated and deeply nested JSON, huge numbers, wrong types, unicode edge
 * cases, duplicate keys, nulls, unknown fields; bad content types, absurd header lengths, control
 * characters; signature headers missing, malformed, stale, from the future, over another request, with a
 * wrong secret or an unknown key, tampered, too many, or replayed with their nonce; bad and repeated
 * {@code Idempotency-Key}s; random methods and path parameters; and, when given, provider webhooks signed
 * with their own schemes (valid, stale, wrong secret, unsigned). Half the requests are validly signed, so
 * that they reach the handlers behind the guards. Each answer must not be 5xx, and every error answer must
 * be problem+json with a problem type and its status.
 */
public final class ApiFuzzer {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_TYPE_BASE = "https://ngao.dev/problems/";
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "FROB"};
    /** The body's string fields, the payer object's among them, each of which a body may spoil. */
    private static final String[] FIELDS = {"type", "amount", "currency", "msisdn", "operator", "country",
            "merchantReference", "ip", "ipCountry", "deviceFingerprint", "email", "documentType", "documentNumber",
            "timeZone"};
    private static final String VALID_BODY = """
            {"type":"MOBILE_MONEY_COLLECTION","amount":"1500.50","currency":"KES","msisdn":"+254712345678",\
            "operator":"MPESA","country":"KE","merchantReference":"order-42","payer":{"ip":"2001:db8::7",\
            "ipCountry":"KE","deviceFingerprint":"ios-5F2A-77.c1","email":"wanjiru@example.co.ke",\
            "documentType":"DNI","documentNumber":"45678912","timeZone":"Africa/Nairobi"}}""";
    /** Beyond the door's timestamp tolerance (300 s by default), either way. */
    private static final Duration OUT_OF_TOLERANCE = Duration.ofMinutes(10);
    /** Strings that break parsers, validators, loggers and terminals. */
    private static final String[] NASTY_STRINGS = {"", " ", "\u0000", "\\u0000", "\ud800", "\udfff", "\ufeff",
            "\u202e", "\u0085", "\u2028", "é", "\uD83D\uDCB8", "%00", "%s%s%n", "${jndi:ldap://x}", "'; DROP TABLE",
            "<script>", "../../etc/passwd", "\r\nX-Injected: 1", "NaN", "-0", "1e309", "0x10", "+254712345678 ",
            "0.001", "-1", "99999999999999999999999999999.99"};

    private final RawHttpClient client;
    private final List<String> routes;
    private final String keyId;
    private final String secret;
    private final Random random;
    private final String bodyRoute;
    /** Nonces need no reproducibility: the verdicts do not depend on their value. */
    private final SecureRandom nonces = new SecureRandom();
    private final List<SignedWebhook> webhooks = new ArrayList<>();
    /** The last request signed with the right secret, sent again now and then: its nonce is then replayed. */
    private Request lastSigned;

    /**
     * A provider webhook the fuzzer may sign: its path, its scheme and secret, and one valid payload whose
     * fields it mutates.
     */
    public record SignedWebhook(String path, WebhookSignatureScheme scheme, String secret, String validBody) {

        String[] fields() {
            return new JsonObject(validBody).fieldNames().toArray(String[]::new);
        }

        byte[] secretBytes() {
            return secret.getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * @param routes route templates ({@code :param} segments get random values) and plain paths
     * @param bodyRoute a route that parses JSON bodies, sent a third of the requests with valid headers so
     *                  that malformed bodies reach its validator; null for none
     * @param keyId a valid key, so that half the requests reach the handlers behind authentication
     */
    public ApiFuzzer(RawHttpClient client, List<String> routes, String bodyRoute, String keyId, String secret,
                     long seed) {
        this.client = client;
        this.routes = List.copyOf(routes);
        this.bodyRoute = bodyRoute;
        this.keyId = keyId;
        this.secret = secret;
        this.random = new Random(seed);
    }

    /** Also fuzzes {@code webhooks}, signing their calls with their providers' schemes. */
    public ApiFuzzer withWebhooks(List<SignedWebhook> webhooks) {
        this.webhooks.addAll(webhooks);
        return this;
    }

    /**
     * What a run did: requests made, those with corrupt framing left unanswered (tolerated), answers by status
     * and by problem type (the slug), and the violations found (at most 20 kept).
     */
    public record Report(int requests, int unanswered, Map<Integer, Integer> statuses, Map<String, Integer> problems,
                         List<String> violations) {
    }

    /** Sends up to {@code maximumRequests}, stopping early when {@code budget} is spent. */
    public Report run(int maximumRequests, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> problems = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        int requests = 0;
        int unanswered = 0;
        while (requests < maximumRequests && System.nanoTime() < deadline) {
            Request request = nextRequest();
            requests++;
            Optional<RawHttpClient.Response> answer;
            try {
                if (request.raw() != null) {
                    answer = client.sendRaw(request.raw());
                } else if (request.corruptFraming()) {
                    answer = client.sendThenHalfClose(request.method(), request.target(), request.headers(),
                            request.body());
                } else {
                    answer = client.send(request.method(), request.target(), request.headers(), request.body());
                }
            } catch (IllegalStateException e) {
                if (!request.corruptFraming()) {
                    note(violations, requests, request, e.getMessage());
                }
                unanswered++;
                continue;
            }
            if (answer.isEmpty()) {
                unanswered++;
                if (!request.corruptFraming()) {
                    note(violations, requests, request, "no answer");
                }
                continue;
            }
            statuses.merge(answer.get().status(), 1, Integer::sum);
            problemType(answer.get()).ifPresent(type -> problems.merge(type, 1, Integer::sum));
            Optional<String> violation = check(answer.get(), request);
            if (violation.isPresent()) {
                note(violations, requests, request, violation.get());
            }
        }
        return new Report(requests, unanswered, statuses, problems, violations);
    }

    private static Optional<String> problemType(RawHttpClient.Response response) {
        if (response.status() < 400 || response.body().length == 0) {
            return Optional.empty();
        }
        try {
            String type = new JsonObject(response.bodyText()).getString("type", "");
            return type.startsWith(PROBLEM_TYPE_BASE)
                    ? Optional.of(type.substring(PROBLEM_TYPE_BASE.length())) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty(); // reported by check as a violation
        }
    }

    private static void note(List<String> violations, int number, Request request, String problem) {
        if (violations.size() < 20) {
            violations.add("#" + number + " " + request.describe() + ": " + problem);
        }
    }

    private static Optional<String> check(RawHttpClient.Response response, Request request) {
        if (response.status() >= 500) {
            return Optional.of("answered " + response.status() + " " + response.bodyText());
        }
        if (response.status() < 400) {
            return Optional.empty();
        }
        String contentType = response.header("Content-Type");
        if (contentType == null || !contentType.startsWith(PROBLEM_JSON)) {
            return Optional.of(response.status() + " with content type " + contentType);
        }
        if ("HEAD".equals(request.method())) {
            return Optional.empty(); // a HEAD answer has headers only
        }
        try {
            JsonObject problem = new JsonObject(response.bodyText());
            if (!problem.getString("type", "").startsWith(PROBLEM_TYPE_BASE)
                    || problem.getInteger("status", -1) != response.status()) {
                return Optional.of("problem without a type or with another status: " + problem.encode());
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("problem body is not JSON: " + response.bodyText());
        }
    }

    // ---------------------------------------------------------------- requests

    /** One request: either parts the client assembles, or raw bytes sent as they are. */
    /** @param corruptFraming its body does not match its framing: no answer is tolerated, as for raw bytes */
    record Request(String category, String method, String target, Map<String, String> headers, byte[] body, byte[] raw,
                   boolean corruptFraming) {

        String describe() {
            if (raw != null) {
                return category + " (" + raw.length + " raw bytes)";
            }
            return category + " " + method + " " + abbreviate(target) + " headers=" + headers.keySet()
                    + " body=" + abbreviate(new String(body, StandardCharsets.UTF_8));
        }

        private static String abbreviate(String text) {
            return text.length() <= 120 ? text : text.substring(0, 120) + "...(" + text.length() + " chars)";
        }
    }

    private Request nextRequest() {
        int kind = random.nextInt(100);
        if (kind < 4) {
            return rawGarbage();
        }
        if (kind < 6 && lastSigned != null) {
            return replayed(lastSigned);
        }
        if (kind < 40 && bodyRoute != null) {
            return remember(bodyRequest());
        }
        if (kind < 50 && !webhooks.isEmpty()) {
            return webhookRequest(pick(webhooks));
        }
        String method = random.nextInt(3) == 0 ? pick(METHODS) : random.nextBoolean() ? "POST" : "GET";
        String target = target();
        Map<String, String> headers = new LinkedHashMap<>();
        contentType(headers);
        extraHeaders(headers);
        Body body = body(VALID_BODY, FIELDS);
        boolean signed = authentication(headers, method, target, body.bytes());
        idempotencyKey(headers);
        Request request = withBody(method, target, headers, body);
        return signed ? remember(request) : request;
    }

    /**
     * Validly signed, JSON-typed requests to the body route, each with a new Idempotency-Key (but now and
     * then): mostly only the body is malformed, so it reaches the validator.
     */
    private Request bodyRequest() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        Body body = body(VALID_BODY, FIELDS);
        headers.putAll(new RequestSigner(keyId, secret).sign("POST", bodyRoute, body.bytes()).asMap());
        if (random.nextInt(10) == 0) {
            idempotencyKey(headers);
        } else {
            headers.put(IDEMPOTENCY_KEY, UUID.randomUUID().toString());
        }
        return withBody("POST", bodyRoute, headers, body);
    }

    /** The same request again, byte for byte: the same nonce, so the door must refuse it as a replay. */
    private static Request replayed(Request request) {
        return new Request("replayed " + request.category(), request.method(), request.target(), request.headers(),
                request.body(), null, request.corruptFraming());
    }

    private Request remember(Request request) {
        lastSigned = request;
        return request;
    }

    /** A call to a provider's webhook: signed by its scheme (validly, late, with a wrong secret) or not at all. */
    private Request webhookRequest(SignedWebhook webhook) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (random.nextInt(4) != 0) {
            headers.put("Content-Type", "application/json");
        }
        if (random.nextInt(3) == 0) {
            extraHeaders(headers);
        }
        Body body = body(webhook.validBody(), webhook.fields());
        byte[] bytes = body.bytes();
        switch (random.nextInt(8)) {
            case 0, 1, 2, 3 -> headers.putAll(webhook.scheme().sign(bytes, Instant.now(), webhook.secretBytes()));
            case 4 -> headers.putAll(webhook.scheme().sign(bytes, Instant.now().minus(OUT_OF_TOLERANCE),
                    webhook.secretBytes()));
            case 5 -> headers.putAll(webhook.scheme().sign(bytes, Instant.now(),
                    (webhook.secret() + "-guessed").getBytes(StandardCharsets.UTF_8)));
            case 6 -> webhook.scheme().sign(bytes, Instant.now(), webhook.secretBytes())
                    .forEach((name, value) -> headers.put(name, pickHeaderValue()));
            default -> {
                // unsigned
            }
        }
        return withBody("POST", webhook.path(), headers, body);
    }

    private Request withBody(String method, String target, Map<String, String> headers, Body body) {
        if (headers.containsKey("Transfer-Encoding")) {
            return chunked(method, target, headers, body);
        }
        if (body.lyingLength()) {
            headers.put("Content-Length", Integer.toString(Math.max(0, body.bytes().length - 1 - random.nextInt(3))));
        }
        return new Request(body.category(), method, target, headers, body.bytes(), null, false);
    }

    /**
     * Half the time the body is sent in proper chunks, and must be answered like any other; otherwise as it is
     * (sometimes with a Content-Length too, which the transfer coding overrides), so its framing is corrupt:
     * the decoder fails mid-body and the connection closes, possibly before the answer routed from the valid
     * head is flushed. That drop is tolerated, being the one sound answer to a stream that cannot be parsed.
     */
    private Request chunked(String method, String target, Map<String, String> headers, Body body) {
        if (random.nextBoolean()) {
            return new Request(body.category() + " chunked", method, target, headers, chunks(body.bytes()), null, false);
        }
        if (random.nextBoolean()) {
            headers.put("Content-Length", Integer.toString(body.bytes().length));
        }
        return new Request(body.category() + " unchunked", method, target, headers, body.bytes(), null, true);
    }

    private byte[] chunks(byte[] body) {
        java.io.ByteArrayOutputStream chunked = new java.io.ByteArrayOutputStream();
        int position = 0;
        while (position < body.length) {
            int size = Math.min(body.length - position, 1 + random.nextInt(2_000));
            chunked.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            chunked.write(body, position, size);
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            position += size;
        }
        chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return chunked.toByteArray();
    }

    private String target() {
        String route = pick(routes);
        StringBuilder target = new StringBuilder();
        for (String segment : route.split("/", -1)) {
            if (!target.isEmpty() || route.startsWith("/")) {
                target.append('/');
            }
            target.append(segment.startsWith(":") ? pathParameter() : segment);
        }
        String path = target.toString().replaceFirst("^//", "/");
        return switch (random.nextInt(10)) {
            case 0 -> path + "?" + "q=" + "x".repeat(random.nextInt(200));
            case 1 -> path + "/";
            case 2 -> path + "/..%2f..%2fetc";
            case 3 -> path + "?%zz=%";
            default -> path;
        };
    }

    private String pathParameter() {
        return switch (random.nextInt(6)) {
            case 0 -> "txn_" + hex(32);
            case 1 -> "%00";
            case 2 -> "%F0%9F%92%B8";
            case 3 -> "x".repeat(1 + random.nextInt(3_000));
            case 4 -> "+254712345678";
            default -> hex(1 + random.nextInt(40));
        };
    }

    /**
     * Signature headers for {@code method} on the raw {@code target} with {@code body}: half the time valid,
     * otherwise garbage, malformed, signed with a wrong secret or for an unknown key, tampered, or none.
     *
     * @return whether the request is validly signed (a resend of it is a replay)
     */
    private boolean authentication(Map<String, String> headers, String method, String target, byte[] body) {
        int kind = random.nextInt(10);
        if (kind < 5) {
            headers.putAll(new RequestSigner(keyId, secret).sign(method, target, body).asMap());
            return true;
        }
        switch (kind) {
            case 5 -> {
                headers.put(RequestSigning.KEY_ID_HEADER, pickHeaderValue());
                headers.put(RequestSigning.TIMESTAMP_HEADER, pickHeaderValue());
                headers.put(RequestSigning.NONCE_HEADER, pickHeaderValue());
                headers.put(RequestSigning.SIGNATURE_HEADER, pickHeaderValue());
            }
            case 6 -> headers.putAll((random.nextBoolean() ? new RequestSigner(keyId, secret.substring(1))
                    : new RequestSigner("key-unknown-" + hex(6), secret)).sign(method, target, body).asMap());
            case 7 -> {
                headers.put(RequestSigning.KEY_ID_HEADER, keyId);
                headers.put(RequestSigning.TIMESTAMP_HEADER, random.nextBoolean() ? "-1" : pickHeaderValue());
                headers.put(RequestSigning.NONCE_HEADER, pickHeaderValue());
                headers.put(RequestSigning.SIGNATURE_HEADER, "v1=" + hex(random.nextInt(80)) + " v1=" + pickHeaderValue());
            }
            case 8 -> headers.putAll(tampered(method, target, body));
            default -> {
                // no signature at all
            }
        }
        return false;
    }

    /** Headers signed with the right secret, then spoiled in one way the door must notice. */
    private Map<String, String> tampered(String method, String target, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        switch (random.nextInt(7)) {
            case 0 -> headers.putAll(signerAt(Duration.ZERO.minus(OUT_OF_TOLERANCE)).sign(method, target, body).asMap());
            case 1 -> headers.putAll(signerAt(OUT_OF_TOLERANCE).sign(method, target, body).asMap());
            case 2 -> headers.putAll(new RequestSigner(keyId, secret).sign(method, target + "x", body).asMap());
            case 3 -> headers.putAll(new RequestSigner(keyId, secret)
                    .sign(random.nextBoolean() ? "PUT" : "DELETE", target, body).asMap());
            case 4 -> {
                byte[] other = java.util.Arrays.copyOf(body, body.length + 1);
                headers.putAll(new RequestSigner(keyId, secret).sign(method, target, other).asMap());
            }
            case 5 -> {
                headers.putAll(new RequestSigner(keyId, secret).sign(method, target, body).asMap());
                String signature = headers.get(RequestSigning.SIGNATURE_HEADER);
                headers.put(RequestSigning.SIGNATURE_HEADER, random.nextBoolean()
                        ? signature.substring(0, signature.length() - 1) + (signature.endsWith("0") ? "1" : "0")
                        : signature.toUpperCase(java.util.Locale.ROOT));
            }
            default -> {
                // More signatures than a request may carry, the valid one among them.
                headers.putAll(new RequestSigner(keyId, secret).sign(method, target, body).asMap());
                String valid = headers.get(RequestSigning.SIGNATURE_HEADER);
                headers.put(RequestSigning.SIGNATURE_HEADER, (valid + " ").repeat(RequestSigning.MAXIMUM_SIGNATURES) + valid);
            }
        }
        return headers;
    }

    private RequestSigner signerAt(Duration offset) {
        return new RequestSigner(keyId, List.of(secret), Clock.offset(Clock.systemUTC(), offset), nonces);
    }

    /** Mostly a new Idempotency-Key; sometimes none, a malformed one, or two. */
    private void idempotencyKey(Map<String, String> headers) {
        switch (random.nextInt(10)) {
            case 0 -> {
                // none
            }
            case 1 -> headers.put(IDEMPOTENCY_KEY, "k".repeat(256 + random.nextInt(100)));
            case 2 -> headers.put(IDEMPOTENCY_KEY, pickHeaderValue());
            case 3 -> {
                headers.put(IDEMPOTENCY_KEY, UUID.randomUUID().toString());
                headers.put(IDEMPOTENCY_KEY.toLowerCase(java.util.Locale.ROOT), UUID.randomUUID().toString());
            }
            default -> headers.put(IDEMPOTENCY_KEY, UUID.randomUUID().toString());
        }
    }

    private void contentType(Map<String, String> headers) {
        String[] types = {"application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
                "application/json;charset=ebcdic", "application/problem+json", "text/plain", "*/*", "",
                "application/json, text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                "application/json\t", "application/" + "j".repeat(2_000)};
        if (random.nextInt(8) != 0) {
            headers.put("Content-Type", random.nextInt(4) == 0 ? pick(types) : types[0]);
        }
    }

    private void extraHeaders(Map<String, String> headers) {
        switch (random.nextInt(12)) {
            case 0 -> headers.put("X-Request-Id", pickHeaderValue());
            case 1 -> headers.put("X-Long", "a".repeat(1 + random.nextInt(20_000)));
            case 2 -> headers.put("X-Control", "a\u0001b\u007fc");
            case 3 -> headers.put("X-Utf8", new String("é\uD83D\uDCB8\u202e".getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.ISO_8859_1));
            case 4 -> {
                for (int index = 0; index < 200; index++) {
                    headers.put("X-Many-" + index, hex(20));
                }
            }
            case 5 -> headers.put("Transfer-Encoding", random.nextBoolean() ? "chunked" : "gzip, chunked");
            case 6 -> headers.put("Expect", "100-continue");
            case 7 -> headers.put("Content-Encoding", "gzip");
            case 8 -> headers.put("X-Bare-Lf", "a\nb");
            case 9 -> headers.put("X-Request-Id", "+254712345678");
            default -> {
                // nothing more
            }
        }
    }

    private String pickHeaderValue() {
        return switch (random.nextInt(6)) {
            case 0 -> "";
            case 1 -> "x".repeat(random.nextInt(10_000));
            case 2 -> hex(random.nextInt(64));
            case 3 -> "key-a\u0000";
            case 4 -> pick(NASTY_STRINGS).replace("\r\n", " ");
            default -> "v1=" + hex(64);
        };
    }

    // ---------------------------------------------------------------- bodies

    private record Body(String category, byte[] bytes, boolean lyingLength) {
    }

    /** A body: {@code valid} itself, or {@code valid} with one of its {@code fields} spoiled, or worse. */
    private Body body(String valid, String[] fields) {
        int kind = random.nextInt(14);
        Supplier<String> text = switch (kind) {
            case 0 -> () -> valid;
            case 1 -> () -> valid.substring(0, random.nextInt(valid.length()));
            case 2 -> () -> "[".repeat(1 + random.nextInt(20_000)) + "]".repeat(random.nextInt(2) * 10);
            case 3 -> () -> "{\"a\":".repeat(1 + random.nextInt(3_000)) + "1" + "}".repeat(random.nextInt(3_000));
            case 4 -> () -> withField(valid, pick(fields), hugeNumber());
            case 5 -> () -> withField(valid, pick(fields), wrongType());
            case 6 -> () -> withField(valid, pick(fields), Json.encode(pick(NASTY_STRINGS)));
            case 7 -> () -> valid.replace("}", ",\"amount\":\"1.00\"}");
            case 8 -> () -> withField(valid, pick(fields), "null");
            case 9 -> () -> valid.replace("}", ",\"" + pick(NASTY_STRINGS).replace("\"", "") + "\":1,\"extra\":true}");
            case 10 -> () -> pick(new String[]{"", "null", "[]", "\"text\"", "0", "true", "{}", "{\"a\" 1}", "{'a':1}",
                    "\ufeff" + valid, valid + valid, valid + "x", "{\"amount\":\"1\"\u0000}"});
            case 11 -> () -> "{\"merchantReference\":\"" + "r".repeat(random.nextInt(6_000)) + "\"}";
            default -> null;
        };
        if (text == null) {
            byte[] bytes = new byte[random.nextInt(kind == 12 ? 200 : 9_000)];
            random.nextBytes(bytes);
            return new Body("random bytes", bytes, random.nextInt(20) == 0);
        }
        byte[] bytes = kind == 6 && random.nextBoolean()
                ? invalidUtf8(text.get()) : text.get().getBytes(StandardCharsets.UTF_8);
        return new Body("json kind " + kind, bytes, random.nextInt(20) == 0);
    }

    private static String withField(String body, String field, String rawValue) {
        return body.replaceFirst("\"" + field + "\":(\"[^\"]*\")", "\"" + field + "\":" + java.util.regex.Matcher.quoteReplacement(rawValue));
    }

    private String hugeNumber() {
        return switch (random.nextInt(5)) {
            case 0 -> "9".repeat(1 + random.nextInt(5_000));
            case 1 -> "1e" + random.nextInt(1_000_000);
            case 2 -> "-0.0000000000000000000000000001";
            case 3 -> "1" + "0".repeat(400) + ".5";
            default -> Long.toString(random.nextLong());
        };
    }

    private String wrongType() {
        return pick(new String[]{"1", "1.5", "true", "[]", "{}", "[\"KES\"]", "{\"value\":\"1.00\"}", "\"\""});
    }

    /** Overlong and truncated UTF-8 sequences and a lone continuation byte spliced into the text. */
    private byte[] invalidUtf8(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[][] bad = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xFF},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
        byte[] insert = bad[random.nextInt(bad.length)];
        int at = random.nextInt(utf8.length + 1);
        byte[] result = new byte[utf8.length + insert.length];
        System.arraycopy(utf8, 0, result, 0, at);
        System.arraycopy(insert, 0, result, at, insert.length);
        System.arraycopy(utf8, at, result, at + insert.length, utf8.length - at);
        return result;
    }

    private Request rawGarbage() {
        byte[] bytes;
        switch (random.nextInt(4)) {
            case 0 -> {
                bytes = new byte[1 + random.nextInt(2_000)];
                random.nextBytes(bytes);
            }
            case 1 -> bytes = ("GET /" + "a".repeat(5_000 + random.nextInt(5_000)) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            case 2 -> bytes = ("POST /v1/payments HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcdefg")
                    .getBytes(StandardCharsets.ISO_8859_1);
            default -> bytes = ("POST /v1/payments HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Content-Type: application/json\r\nX-Ngao-Key-Id: key-a\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
        return new Request("raw", "RAW", "", Map.of(), new byte[0], bytes, true);
    }

    private String hex(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int index = 0; index < length; index++) {
            text.append(Character.forDigit(random.nextInt(16), 16));
        }
        return text.toString();
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
