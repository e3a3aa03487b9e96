package dev.ngao.console;

import dev.ngao.console.account.Accounts;
import dev.ngao.console.account.AuditTrail;
import dev.ngao.console.account.EnrolmentRefused;
import dev.ngao.console.account.QrCodes;
import dev.ngao.console.account.SignInResult;
import dev.ngao.events.AuditOutcome;
import dev.ngao.events.Outcome;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The console's page and its JSON API under {@code /api}. People sign in with a personal account: username,
 * password and a TOTP code (or a recovery code), after enrolling through the one-time link an operator gave them
 * ({@code ngao users add}). The session cookie is HttpOnly and SameSite=Strict (and Secure behind TLS), and every
 * change also needs the session's CSRF token in {@value #CSRF_HEADER}. Views are the merchant's of the account's
 * API key; breaks and provider health need {@code reports:read}, resolving needs {@code reviews:resolve}, and
 * the resolution itself is signed with the account's key, so ingest checks the scope again.
 */
final class ConsoleHttpApi {

    static final String COOKIE = "ngao_console_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHttpApi.class);
    private static final String SESSION_KEY = "ngao.console.session";
    private static final Pattern TRANSACTION_ID = Pattern.compile("txn_[0-9a-f]{32}");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern APPROVAL_ID = Pattern.compile("apv_(txn|batch)_[0-9a-f]{32}");
    private static final Pattern APPROVAL_STATUS = Pattern.compile("PENDING|APPROVED|REJECTED|EXPIRED");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_.:-]{8,128}");
    /** Username, password and code: none is longer (a password has at most 128 characters). */
    private static final int MAX_FIELD_LENGTH = 256;
    private static final int MAX_NOTE_LENGTH = 500;
    private static final int BODY_LIMIT_BYTES = 16_384;
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private final Vertx vertx;
    private final ConsoleViews views;
    private final Sessions sessions;
    private final Accounts accounts;
    private final AuditTrail audit;
    private final IngestClient ingest;
    private final AlertFeed alerts;
    private final boolean secureCookie;
    private final BooleanSupplier feeding;
    private final ConsoleMetrics metrics;

    ConsoleHttpApi(Vertx vertx, ConsoleViews views, Sessions sessions, Accounts accounts, AuditTrail audit,
                   IngestClient ingest, AlertFeed alerts, boolean secureCookie, BooleanSupplier feeding,
                   ConsoleMetrics metrics) {
        this.vertx = vertx;
        this.views = views;
        this.sessions = sessions;
        this.accounts = accounts;
        this.audit = audit;
        this.ingest = ingest;
        this.alerts = alerts;
        this.secureCookie = secureCookie;
        this.feeding = feeding;
        this.metrics = metrics;
    }

    Router router() {
        Router router = Router.router(vertx);
        router.route().handler(ConsoleHttpApi::securityHeaders);
        router.get("/health").handler(this::health);
        router.get("/health/ready").handler(this::ready);
        router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES));
        router.post("/api/session").handler(this::signIn);
        router.post("/api/enrolment").handler(this::startEnrolment);
        router.post("/api/enrolment/complete").handler(this::completeEnrolment);
        router.route("/api/*").handler(this::requireSession);
        router.get("/api/session").handler(this::session);
        router.delete("/api/session").handler(this::signOut);
        router.get("/api/reviews").handler(this::reviews);
        router.post("/api/reviews/:transactionId/resolution").handler(this::resolve);
        router.get("/api/decisions").handler(this::decisions);
        router.get("/api/breaks").handler(this::breaks);
        router.get("/api/providers").handler(this::providers);
        router.get("/api/stops").handler(this::stops);
        router.get("/api/alerts").handler(this::alerts);
        router.get("/api/approvals").handler(this::approvals);
        router.post("/api/approvals/:approvalId/:decision").handler(this::decideApproval);
        router.route("/api/*").handler(context -> Problems.send(context, 404, "not-found", "Not found", null));
        router.route("/*").handler(StaticHandler.create("console-ui").setCachingEnabled(false)
                .setDirectoryListing(false));
        router.route().failureHandler(this::failure);
        return router;
    }

    private static void securityHeaders(RoutingContext context) {
        context.response()
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cache-Control", "no-store");
        context.next();
    }

    private void health(RoutingContext context) {
        status(context, feeding.getAsBoolean());
    }

    /** Ready once the views hold what the topics held at start, so a new instance never shows a partial queue. */
    private void ready(RoutingContext context) {
        status(context, feeding.getAsBoolean() && views.caughtUp());
    }

    private void status(RoutingContext context, boolean up) {
        reply(context, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN")
                .put("caughtUp", views.caughtUp()));
    }

    /**
     * Password and code (or a recovery code) in one request. Every refusal is the same 401 whichever factor was
     * wrong and whether or not the account exists; a locked account or username is 429 with Retry-After.
     */
    private void signIn(RoutingContext context) {
        Optional<JsonObject> body = jsonBody(context);
        if (body.isEmpty()) {
            return;
        }
        String username = text(body.get(), "username").trim().toLowerCase(Locale.ROOT);
        String password = text(body.get(), "password");
        String code = text(body.get(), "code").replace(" ", "");
        if (username.isEmpty() || username.length() > MAX_FIELD_LENGTH || password.isEmpty()
                || password.length() > MAX_FIELD_LENGTH || code.isEmpty() || code.length() > MAX_FIELD_LENGTH) {
            Problems.send(context, 400, "invalid-sign-in", "Invalid sign-in",
                    "username, password and code are each 1 to " + MAX_FIELD_LENGTH + " characters");
            return;
        }
        if (!views.caughtUp()) {
            Problems.send(context, 503, "starting", "Starting", "The console is still reading its accounts; try again shortly.");
            return;
        }
        String clientAddress = context.request().remoteAddress() == null ? ""
                : context.request().remoteAddress().hostAddress();
        vertx.executeBlocking(() -> accounts.signIn(username, password, code, clientAddress), false)
                .onComplete(done -> {
                    if (done.failed()) {
                        accountsUnavailable(context, done.cause());
                        return;
                    }
                    answerSignIn(context, done.result());
                });
    }

    private void answerSignIn(RoutingContext context, SignInResult result) {
        if (result instanceof SignInResult.SignedIn signedIn) {
            AnalystSession session = sessions.open(signedIn.user().username(), signedIn.user().role(),
                    signedIn.key().keyId(), signedIn.key().merchantId(), signedIn.scopes(),
                    new RequestSigner(signedIn.key().keyId(),
                            new String(signedIn.signingSecret().value(), StandardCharsets.UTF_8)));
            metrics.signIn("ok");
            LOG.info("{} signed in as {} of {}", session.username(), session.role().text(), session.merchantId());
            context.response().addCookie(Cookie.cookie(COOKIE, session.id()).setHttpOnly(true).setPath("/")
                    .setSameSite(CookieSameSite.STRICT).setSecure(secureCookie));
            reply(context, 201, sessionJson(session).put("recoveryCodeUsed", signedIn.recoveryCodeUsed())
                    .put("recoveryCodesLeft", signedIn.recoveryCodesLeft()));
        } else if (result instanceof SignInResult.Locked locked) {
            metrics.signIn("locked");
            long seconds = Math.max(1, Duration.between(Instant.now(), locked.until()).toSeconds());
            context.response().putHeader("Retry-After", Long.toString(seconds));
            Problems.send(context, 429, "sign-in-locked", "Too many failed sign-ins",
                    "Too many failed sign-ins: this account is locked for " + ((seconds + 59) / 60)
                            + " min. An operator can give you a new enrolment link if you lost your authenticator.");
        } else if (result instanceof SignInResult.KeyUnavailable) {
            metrics.signIn("key-unavailable");
            Problems.send(context, 403, "key-unavailable", "Forbidden",
                    "Your account's API key is revoked or expired; ask an operator to link a key in force.");
        } else if (result instanceof SignInResult.NoScope) {
            metrics.signIn("no-scope");
            Problems.send(context, 403, "insufficient-scope", "Forbidden",
                    "Your role and your account's API key share no console scope; the console has nothing to show you.");
        } else {
            metrics.signIn("refused");
            Problems.send(context, 401, "sign-in-refused", "Sign-in refused",
                    "The username, password or code was not accepted.");
        }
    }

    /** An enrolment link's first step: the TOTP secret to add to an authenticator, as text and as a QR code. */
    private void startEnrolment(RoutingContext context) {
        Optional<JsonObject> body = jsonBody(context);
        if (body.isEmpty()) {
            return;
        }
        String token = text(body.get(), "token");
        vertx.executeBlocking(() -> accounts.startEnrolment(token), false).onComplete(done -> {
            if (done.failed()) {
                enrolmentFailed(context, done.cause());
                return;
            }
            Accounts.EnrolmentStart start = done.result();
            reply(context, 200, new JsonObject()
                    .put("username", start.username())
                    .put("role", start.role().text())
                    .put("secret", start.secret())
                    .put("otpauthUri", start.otpauthUri())
                    .put("qrCode", QrCodes.svgDataUri(start.otpauthUri()))
                    .put("minPasswordLength", Accounts.MIN_PASSWORD_LENGTH));
        });
    }

    /** The last step: the chosen password and a code proving the authenticator holds the secret. */
    private void completeEnrolment(RoutingContext context) {
        Optional<JsonObject> body = jsonBody(context);
        if (body.isEmpty()) {
            return;
        }
        String token = text(body.get(), "token");
        String password = text(body.get(), "password");
        String code = text(body.get(), "code").replace(" ", "");
        vertx.executeBlocking(() -> accounts.completeEnrolment(token, password, code), false).onComplete(done -> {
            if (done.failed()) {
                enrolmentFailed(context, done.cause());
                return;
            }
            LOG.info("An account completed its enrolment");
            reply(context, 201, new JsonObject().put("recoveryCodes", new JsonArray(done.result())));
        });
    }

    private void enrolmentFailed(RoutingContext context, Throwable cause) {
        if (cause instanceof EnrolmentRefused refused) {
            int status = refused.reason().equals(EnrolmentRefused.UNKNOWN_LINK) ? 404 : 422;
            Problems.send(context, status, refused.reason(), "Enrolment refused", refused.getMessage());
            return;
        }
        accountsUnavailable(context, cause);
    }

    /**
     * Records what a signed-in person did on the audit trail, off the event loop; it already happened (ingest took
     * the resolution, the session is closed), so a record Kafka does not take is logged, not undone.
     */
    private void audit(AnalystSession session, String action, Map<String, String> details) {
        vertx.executeBlocking(() -> {
            audit.record(session.username(), action, session.username(), AuditOutcome.SUCCESS, details);
            return null;
        }, false).onFailure(cause -> LOG.warn("{} of {} not audited: {}", action, session.username(), cause.toString()));
    }

    /** Kafka did not take an account's change or its audit record in time: nothing took effect. */
    private void accountsUnavailable(RoutingContext context, Throwable cause) {
        LOG.warn("An account operation failed: {}", cause.toString());
        Problems.send(context, 503, "accounts-unavailable", "Accounts unavailable",
                "The console could not record this step; try again shortly.");
    }

    private static String text(JsonObject body, String field) {
        return body.getValue(field) instanceof String text ? text : "";
    }

    private void requireSession(RoutingContext context) {
        Cookie cookie = context.request().getCookie(COOKIE);
        Optional<AnalystSession> session = sessions.find(cookie == null ? null : cookie.getValue());
        if (session.isEmpty()) {
            Problems.send(context, 401, "no-session", "Not signed in", "Sign in first.");
            return;
        }
        if (context.request().method() != HttpMethod.GET
                && !session.get().csrfToken().equals(context.request().getHeader(CSRF_HEADER))) {
            Problems.send(context, 403, "csrf-token", "Forbidden",
                    "A change needs the session's token in " + CSRF_HEADER + ".");
            return;
        }
        context.put(SESSION_KEY, session.get());
        context.next();
    }

    private static AnalystSession sessionOf(RoutingContext context) {
        return context.get(SESSION_KEY);
    }

    private void session(RoutingContext context) {
        reply(context, 200, sessionJson(sessionOf(context)));
    }

    private void signOut(RoutingContext context) {
        AnalystSession session = sessionOf(context);
        sessions.close(session.id());
        audit(session, "sign-out", Map.of());
        context.response().addCookie(Cookie.cookie(COOKIE, "").setHttpOnly(true).setPath("/").setMaxAge(0)
                .setSameSite(CookieSameSite.STRICT).setSecure(secureCookie));
        context.response().setStatusCode(204).end();
    }

    private static JsonObject sessionJson(AnalystSession session) {
        return new JsonObject()
                .put("username", session.username())
                .put("role", session.role().text())
                .put("keyId", session.keyId())
                .put("merchantId", session.merchantId())
                .put("scopes", new JsonArray(session.scopes().stream().sorted().toList()))
                .put("canResolve", session.has(AnalystSession.REVIEWS_RESOLVE))
                .put("canReadReports", session.has(AnalystSession.REPORTS_READ))
                .put("canApprove", session.has(AnalystSession.APPROVALS_APPROVE))
                .put("csrfToken", session.csrfToken());
    }

    private void reviews(RoutingContext context) {
        AnalystSession session = sessionOf(context);
        JsonArray reviews = new JsonArray();
        views.reviews(session.merchantId()).forEach(review -> reviews.add(ConsoleJson.review(review)));
        reply(context, 200, new JsonObject().put("merchantId", session.merchantId())
                .put("canResolve", session.has(AnalystSession.REVIEWS_RESOLVE))
                .put("caughtUp", views.caughtUp())
                .put("reviews", reviews));
    }

    private void resolve(RoutingContext context) {
        AnalystSession session = sessionOf(context);
        if (!session.has(AnalystSession.REVIEWS_RESOLVE)) {
            Problems.send(context, 403, "insufficient-scope", "Forbidden", "This key lacks the scope reviews:resolve.");
            return;
        }
        String transactionId = context.pathParam("transactionId");
        if (!TRANSACTION_ID.matcher(transactionId).matches()) {
            Problems.send(context, 400, "invalid-transaction-id", "Invalid transaction id",
                    "a transaction id is txn_ followed by 32 lower-case hex digits");
            return;
        }
        String idempotencyKey = context.request().getHeader("Idempotency-Key");
        if (idempotencyKey == null || !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            Problems.send(context, 400, "idempotency-key-required", "Idempotency key required",
                    "Send Idempotency-Key (8 to 128 letters, digits or _.:-), the same on every retry of one resolution.");
            return;
        }
        Optional<JsonObject> body = jsonBody(context);
        if (body.isEmpty()) {
            return;
        }
        Optional<JsonObject> resolution = resolution(context, body.get());
        if (resolution.isEmpty()) {
            return;
        }
        if (views.review(session.merchantId(), transactionId).isEmpty()) {
            Problems.send(context, 404, "no-open-review", "No open review",
                    "This merchant has no open review of that transaction.");
            return;
        }
        Future.fromCompletionStage(ingest.resolve(session.signer(), transactionId, idempotencyKey, resolution.get()),
                vertx.getOrCreateContext()).onComplete(answered -> {
            if (answered.failed()) {
                unavailable(context, answered.cause());
                return;
            }
            IngestClient.Answer answer = answered.result();
            metrics.resolution(resolution.get().getString("outcome"), answer.status());
            if (answer.status() == 202) {
                views.onResolutionSent(transactionId, new ConsoleViews.SentResolution(
                        Outcome.valueOf(resolution.get().getString("outcome")), answer.body().getString("resolutionId"),
                        session.keyId()));
                LOG.info("Resolution {} of {} sent: {} by {} with key {}", answer.body().getString("resolutionId"),
                        transactionId, resolution.get().getString("outcome"), session.username(), session.keyId());
                // risk.reviews names the key, which several people may share: this names the person.
                audit(session, "review.resolution.sent", Map.of("transactionId", transactionId,
                        "outcome", resolution.get().getString("outcome"),
                        "resolutionId", answer.body().getString("resolutionId", ""), "keyId", session.keyId()));
            }
            // Ingest's answer as it is: 202 with the resolution, or its problem (409 no longer in review, ...).
            reply(context, answer.status(), answer.body());
        });
    }

    private static Optional<JsonObject> resolution(RoutingContext context, JsonObject body) {
        Object outcome = body.getValue("outcome");
        Object note = body.getValue("note");
        boolean outcomeValid = outcome instanceof String text
                && (text.equals(Outcome.APPROVE.name()) || text.equals(Outcome.DECLINE.name()));
        boolean noteValid = note == null || (note instanceof String text && text.length() <= MAX_NOTE_LENGTH);
        if (!outcomeValid || !noteValid || !Set.of("outcome", "note").containsAll(body.fieldNames())) {
            Problems.send(context, 422, "invalid-resolution", "Invalid resolution",
                    "outcome is APPROVE or DECLINE; note, optional, at most " + MAX_NOTE_LENGTH + " characters");
            return Optional.empty();
        }
        JsonObject resolution = new JsonObject().put("outcome", outcome);
        if (note instanceof String text && !text.isBlank()) {
            resolution.put("note", text.strip());
        }
        return Optional.of(resolution);
    }

    private void decisions(RoutingContext context) {
        AnalystSession session = sessionOf(context);
        String outcomeText = context.queryParams().get("outcome");
        String transaction = context.queryParams().get("transaction");
        Outcome outcome;
        int limit;
        try {
            outcome = outcomeText == null || outcomeText.isBlank() ? null
                    : Outcome.valueOf(outcomeText.toUpperCase(Locale.ROOT));
            String limitText = context.queryParams().get("limit");
            limit = limitText == null ? DEFAULT_LIMIT : Integer.parseInt(limitText);
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit");
            }
        } catch (IllegalArgumentException e) {
            Problems.send(context, 400, "invalid-query", "Invalid query",
                    "outcome is APPROVE, REVIEW or DECLINE; limit is 1 to " + MAX_LIMIT);
            return;
        }
        Predicate<RiskDecision> filter = decision -> (outcome == null || decision.getOutcome() == outcome)
                && (transaction == null || transaction.isBlank() || decision.getTransactionId().equals(transaction.trim()));
        JsonArray decisions = new JsonArray();
        views.decisions(session.merchantId(), filter, limit).forEach(decision -> decisions.add(ConsoleJson.decision(decision)));
        reply(context, 200, new JsonObject().put("merchantId", session.merchantId()).put("decisions", decisions));
    }

    private void breaks(RoutingContext context) {
        if (!requireReports(context)) {
            return;
        }
        var days = views.breakDays();
        String day = context.queryParams().get("day");
        if (day != null && !DAY.matcher(day).matches()) {
            Problems.send(context, 400, "invalid-day", "Invalid day", "day is an ISO date, YYYY-MM-DD");
            return;
        }
        String shown = day != null ? day : days.isEmpty() ? null : days.firstKey();
        JsonArray dayList = new JsonArray();
        days.forEach((each, count) -> dayList.add(new JsonObject().put("day", each).put("count", count)));
        JsonArray breaks = new JsonArray();
        if (shown != null) {
            views.breaks(shown).forEach(found -> breaks.add(ConsoleJson.reconciliationBreak(found)));
        }
        reply(context, 200, new JsonObject().put("days", dayList).put("day", shown).put("breaks", breaks));
    }

    private void providers(RoutingContext context) {
        if (!requireReports(context)) {
            return;
        }
        JsonArray providers = new JsonArray();
        views.health().forEach(event -> providers.add(ConsoleJson.health(event)));
        reply(context, 200, new JsonObject().put("providers", providers));
    }

    /**
     * Maker-checker: what waits for a second person (or, with {@code ?status=}, what became of it), as ingest
     * lists it for the session's key: its merchant's, every merchant's for an operator:read key.
     */
    private void approvals(RoutingContext context) {
        AnalystSession session = sessionOf(context);
        if (!session.has(AnalystSession.APPROVALS_APPROVE) && !session.has(AnalystSession.OPERATOR_READ)) {
            Problems.send(context, 403, "insufficient-scope", "Forbidden",
                    "This account lacks the scope approvals:approve.");
            return;
        }
        String status = context.queryParams().get("status");
        if (status == null) {
            status = "PENDING";
        }
        if (!APPROVAL_STATUS.matcher(status).matches()) {
            Problems.send(context, 422, "invalid-status", "Invalid status",
                    "status is PENDING, APPROVED, REJECTED or EXPIRED");
            return;
        }
        Future.fromCompletionStage(ingest.approvals(session.signer(), status), vertx.getOrCreateContext())
                .onComplete(answered -> {
                    if (answered.failed()) {
                        unavailable(context, answered.cause());
                        return;
                    }
                    IngestClient.Answer answer = answered.result();
                    reply(context, answer.status(), answer.ok()
                            ? answer.body().put("canApprove", session.has(AnalystSession.APPROVALS_APPROVE))
                            : answer.body());
                });
    }

    /**
     * Approves or rejects an approval through ingest, signed with the session's key: ingest checks the scope,
     * refuses the key that made the request and decides once; its answer is passed on as it is.
     */
    private void decideApproval(RoutingContext context) {
        AnalystSession session = sessionOf(context);
        if (!session.has(AnalystSession.APPROVALS_APPROVE)) {
            Problems.send(context, 403, "insufficient-scope", "Forbidden",
                    "This account lacks the scope approvals:approve.");
            return;
        }
        String approvalId = context.pathParam("approvalId");
        String decision = context.pathParam("decision");
        if (!APPROVAL_ID.matcher(approvalId).matches() || !Set.of("approve", "reject").contains(decision)) {
            Problems.send(context, 404, "not-found", "Not found", null);
            return;
        }
        Optional<JsonObject> body = context.body().isEmpty() ? Optional.of(new JsonObject()) : jsonBody(context);
        if (body.isEmpty()) {
            return;
        }
        Object reason = body.get().getValue("reason");
        boolean reasonValid = reason == null || (reason instanceof String text && !text.isBlank()
                && text.length() <= MAX_NOTE_LENGTH);
        if (!reasonValid || !Set.of("reason").containsAll(body.get().fieldNames())
                || (decision.equals("reject") && reason == null)) {
            Problems.send(context, 422, "invalid-decision", "Invalid decision",
                    "reason: required to reject, optional to approve, 1 to " + MAX_NOTE_LENGTH + " characters");
            return;
        }
        JsonObject sent = reason == null ? new JsonObject() : new JsonObject().put("reason", ((String) reason).strip());
        Future.fromCompletionStage(ingest.decideApproval(session.signer(), approvalId, decision, sent),
                vertx.getOrCreateContext()).onComplete(answered -> {
            if (answered.failed()) {
                unavailable(context, answered.cause());
                return;
            }
            IngestClient.Answer answer = answered.result();
            if (answer.ok()) {
                LOG.info("Approval {} {}d by {} with key {}", approvalId, decision, session.username(), session.keyId());
                // ingest audits the key; this names the person behind it.
                audit(session, "approval." + decision + ".sent", Map.of("approvalId", approvalId,
                        "status", answer.body().getString("status", ""), "keyId", session.keyId()));
            }
            reply(context, answer.status(), answer.body());
        });
    }

    /**
     * The alert feed, for every signed-in person: Ngao's alerts Prometheus holds (firing and pending), or
     * {@code configured: false} when no Prometheus is named; 502 {@code alerts-unavailable} when it cannot be read.
     */
    private void alerts(RoutingContext context) {
        if (!alerts.configured()) {
            reply(context, 200, new JsonObject().put("configured", false).put("alerts", new JsonArray()));
            return;
        }
        Future.fromCompletionStage(alerts.alerts(), vertx.getOrCreateContext()).onComplete(read -> {
            if (read.failed()) {
                Throwable cause = read.cause() instanceof CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause() : read.cause();
                String detail = cause instanceof AlertFeed.Unavailable ? cause.getMessage()
                        : "Prometheus could not be read";
                LOG.warn("Alert feed unavailable: {}", detail);
                Problems.send(context, 502, "alerts-unavailable", "Alerts unavailable", detail);
                return;
            }
            JsonArray found = new JsonArray();
            read.result().forEach(alert -> found.add(alert.json()));
            reply(context, 200, new JsonObject().put("configured", true).put("alerts", found)
                    .put("readAt", Instant.now().toString()));
        });
    }

    /** Read-only: stops are set and lifted by operators through ingest, never from here. */
    private void stops(RoutingContext context) {
        AnalystSession session = sessionOf(context);
        JsonArray stops = new JsonArray();
        views.stops(session.merchantId(), session.has(AnalystSession.OPERATOR_READ))
                .forEach(stop -> stops.add(ConsoleJson.stop(stop)));
        reply(context, 200, new JsonObject().put("stops", stops));
    }

    private static boolean requireReports(RoutingContext context) {
        if (sessionOf(context).has(AnalystSession.REPORTS_READ)) {
            return true;
        }
        Problems.send(context, 403, "insufficient-scope", "Forbidden", "This key lacks the scope reports:read.");
        return false;
    }

    private static Optional<JsonObject> jsonBody(RoutingContext context) {
        String type = context.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            Problems.send(context, 415, "unsupported-media-type", "Unsupported media type", "Send application/json.");
            return Optional.empty();
        }
        try {
            JsonObject body = context.body().asJsonObject();
            if (body == null) {
                throw new DecodeException("empty");
            }
            return Optional.of(body);
        } catch (DecodeException | ClassCastException e) {
            Problems.send(context, 400, "malformed-json", "Malformed JSON", "The body is not a JSON object.");
            return Optional.empty();
        }
    }

    private void unavailable(RoutingContext context, Throwable cause) {
        metrics.ingestUnavailable();
        LOG.warn("Ingest could not be asked: {}", cause.toString());
        Problems.send(context, 503, "ingest-unavailable", "Ingest unavailable",
                "The ingest service did not answer; try again shortly.");
    }

    private void failure(RoutingContext context) {
        if (context.statusCode() == 413) {
            Problems.send(context, 413, "body-too-large", "Body too large", "At most " + BODY_LIMIT_BYTES + " bytes.");
            return;
        }
        if (context.failure() != null) {
            LOG.error("Console request {} {} failed: {}", context.request().method(), context.request().path(),
                    context.failure().toString());
        }
        Problems.send(context, context.statusCode() > 0 ? context.statusCode() : 500, "internal", "Internal error", null);
    }

    private static void reply(RoutingContext context, int status, JsonObject body) {
        if (context.response().ended()) {
            return;
        }
        String type = body.containsKey("type") && status >= 400 ? Problems.CONTENT_TYPE : "application/json";
        context.response().setStatusCode(status).putHeader("Content-Type", type).end(body.encode());
    }
}
