package dev.ngao.console;

import dev.ngao.platform.auth.RequestSigning;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ingest route the console calls, for tests: verifies each request's signature with the key's secret the way
 * ingest does ({@link RequestSigning}) and records each review resolution, refusing a second one of the same
 * transaction with 409 as ingest does; lists and decides approvals (maker-checker) as ingest does, refusing the
 * key that made the request with 403 {@code approval-by-requester}.
 */
final class StubIngest implements AutoCloseable {

    record Key(String secret, String merchantId, Set<String> scopes) {
    }

    record Resolution(String keyId, String transactionId, String idempotencyKey, JsonObject body) {
    }

    /** An approval waiting for a second key, and what became of it. */
    record Approval(String approvalId, String merchantId, String requestedBy, String status, String decidedBy,
                    String reason) {
        JsonObject json() {
            return new JsonObject().put("approvalId", approvalId).put("kind", "PAYOUT").put("status", status)
                    .put("merchantId", merchantId).put("requestedBy", requestedBy)
                    .put("requestedAt", "2031-01-10T08:00:00Z").put("expiresAt", "2031-01-11T08:00:00Z")
                    .put("transactionId", approvalId.substring("apv_".length())).put("amountMinor", 2_000_000)
                    .put("currency", "KES").put("decidedBy", decidedBy).put("reason", reason);
        }
    }

    private static final Pattern APPROVAL_PATH = Pattern.compile("/v1/approvals/(apv_[a-z0-9_]+)/(approve|reject)");
    private final Map<String, Approval> approvals = new ConcurrentHashMap<>();
    private static final Pattern RESOLUTION_PATH = Pattern.compile("/v1/reviews/(txn_[0-9a-f]{32})/resolution");

    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final List<Resolution> resolutions = new CopyOnWriteArrayList<>();
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    StubIngest() throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> answer(request, body)))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    void key(String keyId, String secret, String merchantId, Set<String> scopes) {
        keys.put(keyId, new Key(secret, merchantId, scopes));
    }

    String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    List<Resolution> resolutions() {
        return List.copyOf(resolutions);
    }

    /** A payout of {@code merchantId} that {@code requestedBy} made, waiting for approval. */
    void pendingApproval(String approvalId, String merchantId, String requestedBy) {
        approvals.put(approvalId, new Approval(approvalId, merchantId, requestedBy, "PENDING", null, null));
    }

    Approval approval(String approvalId) {
        return approvals.get(approvalId);
    }

    private void answer(HttpServerRequest request, Buffer body) {
        String keyId = request.getHeader(RequestSigning.KEY_ID_HEADER);
        Key key = keyId == null ? null : keys.get(keyId);
        if (key == null || !signedBy(request, body, key)) {
            reply(request, 401, new JsonObject().put("type", "https://ngao.dev/problems/unauthenticated")
                    .put("title", "Unauthorized").put("detail", "signature not verified"));
            return;
        }
        if (request.path().startsWith("/v1/approvals")) {
            answerApproval(request, body, keyId, key);
            return;
        }
        Matcher resolution = RESOLUTION_PATH.matcher(request.path());
        if (resolution.matches() && request.method().name().equals("POST")) {
            if (!key.scopes().contains("reviews:resolve")) {
                reply(request, 403, new JsonObject().put("type", "https://ngao.dev/problems/insufficient-scope")
                        .put("title", "Forbidden").put("detail", "This key lacks the scope reviews:resolve."));
                return;
            }
            String transactionId = resolution.group(1);
            if (resolutions.stream().anyMatch(done -> done.transactionId().equals(transactionId))) {
                reply(request, 409, new JsonObject().put("type", "https://ngao.dev/problems/not-in-review")
                        .put("title", "Not In Review").put("detail", "The transaction is APPROVED."));
                return;
            }
            JsonObject resolutionBody = new JsonObject(body.toString(StandardCharsets.UTF_8));
            resolutions.add(new Resolution(keyId, transactionId, request.getHeader("Idempotency-Key"), resolutionBody));
            reply(request, 202, new JsonObject().put("resolutionId", "rev_" + resolutions.size())
                    .put("transactionId", transactionId).put("outcome", resolutionBody.getString("outcome")));
            return;
        }
        reply(request, 404, new JsonObject().put("title", "Not found"));
    }

    private void answerApproval(HttpServerRequest request, Buffer body, String keyId, Key key) {
        if (request.method().name().equals("GET") && request.path().equals("/v1/approvals")) {
            JsonArray listed = new JsonArray();
            approvals.values().stream()
                    .filter(approval -> approval.merchantId().equals(key.merchantId()))
                    .filter(approval -> approval.status().equals(request.getParam("status", "PENDING")))
                    .forEach(approval -> listed.add(approval.json()));
            reply(request, 200, new JsonObject().put("approvals", listed));
            return;
        }
        Matcher decision = APPROVAL_PATH.matcher(request.path());
        Approval approval = decision.matches() ? approvals.get(decision.group(1)) : null;
        if (approval == null || !request.method().name().equals("POST")
                || !approval.merchantId().equals(key.merchantId())) {
            reply(request, 404, new JsonObject().put("title", "Not found"));
        } else if (!key.scopes().contains("approvals:approve")) {
            reply(request, 403, new JsonObject().put("type", "https://ngao.dev/problems/insufficient-scope")
                    .put("title", "Forbidden").put("detail", "This key lacks the scope approvals:approve."));
        } else if (approval.requestedBy().equals(keyId)) {
            reply(request, 403, new JsonObject().put("type", "https://ngao.dev/problems/approval-by-requester")
                    .put("title", "Own Request").put("detail", "The key that made this request cannot decide it."));
        } else {
            String status = decision.group(2).equals("approve") ? "APPROVED" : "REJECTED";
            JsonObject sent = new JsonObject(body.length() == 0 ? "{}" : body.toString(StandardCharsets.UTF_8));
            Approval decided = new Approval(approval.approvalId(), approval.merchantId(), approval.requestedBy(),
                    status, keyId, sent.getString("reason"));
            approvals.put(decided.approvalId(), decided);
            reply(request, 200, decided.json());
        }
    }

    private static boolean signedBy(HttpServerRequest request, Buffer body, Key key) {
        String canonical = RequestSigning.canonicalString(request.method().name(), request.uri(),
                request.getHeader(RequestSigning.TIMESTAMP_HEADER), request.getHeader(RequestSigning.NONCE_HEADER),
                RequestSigning.bodySha256Hex(body.getBytes()));
        return RequestSigning.matchesAny(key.secret().getBytes(StandardCharsets.UTF_8), canonical,
                RequestSigning.presentedSignatures(request.getHeader(RequestSigning.SIGNATURE_HEADER)));
    }

    private static void reply(HttpServerRequest request, int status, JsonObject body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
