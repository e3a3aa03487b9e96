package dev.ngao.ingest.stop;

import dev.ngao.events.EmergencyStop;
import dev.ngao.ingest.audit.AuditTrail;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An operator's emergency stop: {@code PUT /v1/emergency-stops/{scope}[/{target}]} sets one (payouts or all
 * traffic, globally, for a merchant or for a provider), {@code DELETE} on the same path with {@code ?traffic=}
 * lifts it, {@code GET /v1/emergency-stops} lists those in force. Setting and lifting need
 * {@value Scopes#OPERATOR_STOP}; both write the stop's key on the compacted {@code risk.stops} (active true,
 * then false), so they are idempotent by nature and need no {@code Idempotency-Key}; each answers 200 with
 * the stop once Kafka acknowledged, and is audited with the stop's scope, target, traffic and reason.
 */
public final class EmergencyStopRoutes implements RouteGroup {

    public static final String STOPS_PATH = "/v1/emergency-stops";
    /** Audit details of a set or lift, besides the key id every audit record names as its actor. */
    public static final String STOP_ID_DETAIL = "stopId";
    public static final String SCOPE_DETAIL = "stopScope";
    public static final String TARGET_DETAIL = "stopTarget";
    public static final String TRAFFIC_DETAIL = "stopTraffic";
    public static final String ACTIVE_DETAIL = "stopActive";
    public static final String REASON_DETAIL = "stopReason";

    private static final String SCOPE = "scope";
    private static final String TARGET = "target";
    private static final String SCOPE_PATH = STOPS_PATH + "/:" + SCOPE;
    private static final String TARGET_PATH = SCOPE_PATH + "/:" + TARGET;
    private static final Logger LOG = LoggerFactory.getLogger(EmergencyStopRoutes.class);

    private final EmergencyStopValidator validator;
    private final AcknowledgedPublisher<String, EmergencyStop> publisher;
    private final EmergencyStopView view;
    private final Supplier<CompletableFuture<Void>> viewCaughtUp;
    private final Duration viewWait;
    private final Clock clock;
    private final int bodyLimitBytes;

    /**
     * @param viewCaughtUp completes once the view has applied everything written to {@code risk.stops} so far,
     *                     so a list read right after a set shows it
     * @param viewWait     how long a list waits for that before 503
     */
    public EmergencyStopRoutes(EmergencyStopValidator validator, AcknowledgedPublisher<String, EmergencyStop> publisher,
                               EmergencyStopView view, Supplier<CompletableFuture<Void>> viewCaughtUp,
                               Duration viewWait, Clock clock, int bodyLimitBytes) {
        this.validator = validator;
        this.publisher = publisher;
        this.view = view;
        this.viewCaughtUp = viewCaughtUp;
        this.viewWait = viewWait;
        this.clock = clock;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    @Override
    public void mount(Router router) {
        router.get(STOPS_PATH).handler(Scopes.requireAny(Scopes.OPERATOR_STOP, Scopes.OPERATOR_READ))
                .handler(this::list);
        for (String path : new String[] {SCOPE_PATH, TARGET_PATH}) {
            JsonRoutes.mount(router, HttpMethod.PUT, path, Scopes.OPERATOR_STOP, bodyLimitBytes, this::set);
            // Vert.x wants a body handler first on its route: the scope check is a route of its own ahead of it.
            router.delete(path).handler(Scopes.require(Scopes.OPERATOR_STOP));
            router.delete(path).handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes)).handler(this::lift);
        }
    }

    private void set(RoutingContext context) {
        Optional<Map<String, Object>> body = JsonRoutes.body(context);
        if (body.isEmpty()) {
            return;
        }
        write(context, true, validator.toSet(context.pathParam(SCOPE), context.pathParam(TARGET), body.get()));
    }

    /** The traffic comes from the query or a JSON body; a body is optional, but JSON when sent. */
    private void lift(RoutingContext context) {
        Map<String, Object> body = Map.of();
        if (!context.body().isEmpty()) {
            if (!HttpReplies.JSON.equals(HttpReplies.mediaType(context))) {
                HttpReplies.requireJson(context);
                return;
            }
            Optional<Map<String, Object>> parsed = JsonRoutes.body(context);
            if (parsed.isEmpty()) {
                return;
            }
            body = parsed.get();
        }
        Optional<MultiMap> query = HttpReplies.queryParams(context);
        if (query.isEmpty()) {
            return;
        }
        write(context, false, validator.toLift(context.pathParam(SCOPE), context.pathParam(TARGET),
                query.get().get(EmergencyStopValidator.TRAFFIC), body));
    }

    private void write(RoutingContext context, boolean active, Validation<EmergencyStopCommand> result) {
        if (result instanceof Validation.Invalid<EmergencyStopCommand> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        EmergencyStopCommand command = ((Validation.Valid<EmergencyStopCommand>) result).value();
        String keyId = Caller.of(context).keyId();
        EmergencyStop stop = EmergencyStops.change(command, active, keyId, clock.instant());
        audit(context, stop);
        publisher.publish(stop.getStopId(), stop).acknowledged().onComplete(written -> {
            if (written.failed()) {
                LOG.warn("Emergency stop {} not {}: Kafka did not acknowledge ({})", stop.getStopId(),
                        active ? "set" : "lifted", written.cause().toString());
                JsonRoutes.unavailable(context, active ? "The stop was not set; retry the same call."
                        : "The stop was not lifted; retry the same call.");
                return;
            }
            LOG.warn("Emergency stop {} {} by key {}", stop.getStopId(), active ? "SET" : "LIFTED", keyId);
            HttpReplies.replyJson(context, 200, json(stop));
        });
    }

    private static void audit(RoutingContext context, EmergencyStop stop) {
        AuditTrail.detail(context, STOP_ID_DETAIL, stop.getStopId());
        AuditTrail.detail(context, SCOPE_DETAIL, stop.getScope().name());
        AuditTrail.detail(context, TARGET_DETAIL, stop.getTarget());
        AuditTrail.detail(context, TRAFFIC_DETAIL, stop.getTraffic().name());
        AuditTrail.detail(context, ACTIVE_DETAIL, Boolean.toString(stop.getActive()));
        AuditTrail.detail(context, REASON_DETAIL, stop.getReason());
    }

    private void list(RoutingContext context) {
        CompletableFuture<Void> caughtUp = viewCaughtUp.get().orTimeout(viewWait.toMillis(), TimeUnit.MILLISECONDS);
        Future.fromCompletionStage(caughtUp, context.vertx().getOrCreateContext()).onComplete(ready -> {
            if (ready.failed()) {
                LOG.warn("Emergency stop view behind {}: {}", publisher.topic().name(), ready.cause().toString());
                JsonRoutes.unavailable(context, "The stops in force cannot be read now; retry later.");
                return;
            }
            JsonArray stops = new JsonArray();
            view.inForce().forEach(stop -> stops.add(json(stop)));
            HttpReplies.replyJson(context, 200, new JsonObject().put("stops", stops));
        });
    }

    static JsonObject json(EmergencyStop stop) {
        return new JsonObject()
                .put("stopId", stop.getStopId())
                .put(SCOPE, stop.getScope().name())
                .put(TARGET, stop.getTarget())
                .put(EmergencyStopValidator.TRAFFIC, stop.getTraffic().name())
                .put("active", stop.getActive())
                .put(EmergencyStopValidator.REASON, stop.getReason())
                .put("changedBy", stop.getApiKeyId())
                .put("changedAt", stop.getChangedAt().toString());
    }
}
