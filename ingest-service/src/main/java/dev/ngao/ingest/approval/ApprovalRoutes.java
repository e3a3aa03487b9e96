package dev.ngao.ingest.approval;

import dev.ngao.events.ApprovalRequest;
import dev.ngao.events.ApprovalStatus;
import dev.ngao.ingest.audit.AuditTrail;
import dev.ngao.ingest.http.FieldError;
import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maker-checker's routes: {@code GET /v1/approvals} lists the approvals of the caller's merchant (every
 * merchant's for {@code operator:read}), newest first, {@code ?status=} filtering; {@code GET
 * /v1/approvals/{approvalId}} reads one; {@code POST .../approve} and {@code POST .../reject} decide one, with
 * {@value Scopes#APPROVALS_APPROVE}, by a key other than the one that made the request. Decisions are
 * idempotent by nature (the same decision again answers the approval as decided, and delivers nothing twice),
 * so they take no {@code Idempotency-Key}. Another merchant's approval is answered as unknown (404).
 */
public final class ApprovalRoutes implements RouteGroup {

    public static final String APPROVALS_PATH = PaymentRoutes.APPROVALS_PATH;
    public static final String REASON = "reason";
    public static final int MAXIMUM_REASON_LENGTH = 500;
    public static final int DEFAULT_LIST_LIMIT = 100;
    public static final int MAXIMUM_LIST_LIMIT = 500;
    /** Audit detail naming the approval a request read or decided. */
    public static final String APPROVAL_ID_DETAIL = "approvalId";

    private static final String APPROVAL_ID = "approvalId";
    private static final String APPROVAL_PATH = APPROVALS_PATH + "/:" + APPROVAL_ID;
    private static final String[] READ_SCOPES = {Scopes.APPROVALS_APPROVE, Scopes.OPERATOR_READ, Scopes.PAYMENTS_READ,
            Scopes.CARDS_ISSUE};
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalRoutes.class);

    private final ApprovalDesk desk;
    private final int bodyLimitBytes;

    public ApprovalRoutes(ApprovalDesk desk, int bodyLimitBytes) {
        this.desk = desk;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    @Override
    public void mount(Router router) {
        router.get(APPROVALS_PATH).handler(Scopes.requireAny(READ_SCOPES)).handler(this::list);
        router.get(APPROVAL_PATH).handler(Scopes.requireAny(READ_SCOPES)).handler(this::show);
        mountDecision(router, APPROVAL_PATH + "/approve", ApprovalStatus.APPROVED);
        mountDecision(router, APPROVAL_PATH + "/reject", ApprovalStatus.REJECTED);
    }

    /** Scope first (a route of its own: Vert.x wants the body handler first on its route), then the body. */
    private void mountDecision(Router router, String path, ApprovalStatus verdict) {
        router.post(path).handler(Scopes.require(Scopes.APPROVALS_APPROVE));
        router.post(path).handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes))
                .handler(context -> decide(context, verdict));
    }

    private void list(RoutingContext context) {
        Optional<MultiMap> query = HttpReplies.queryParams(context);
        if (query.isEmpty()) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        ApprovalStatus status = statusFilter(query.get().get("status"), errors);
        int limit = limit(query.get().get("limit"), errors);
        if (!errors.isEmpty()) {
            HttpReplies.validationProblem(context, errors);
            return;
        }
        Caller caller = Caller.of(context);
        JsonArray approvals = new JsonArray();
        desk.view().list(caller.isOperator() ? null : caller.merchantId(), status, desk.now(), limit)
                .forEach(approval -> approvals.add(ApprovalJson.of(approval, desk.now())));
        HttpReplies.replyJson(context, 200, new JsonObject().put("approvals", approvals));
    }

    private void show(RoutingContext context) {
        visibleApproval(context).ifPresent(approval ->
                HttpReplies.replyJson(context, 200, ApprovalJson.of(approval, desk.now())));
    }

    private void decide(RoutingContext context, ApprovalStatus verdict) {
        Optional<ApprovalRequest> approval = visibleApproval(context);
        if (approval.isEmpty()) {
            return;
        }
        Optional<Reason> reason = reason(context, verdict == ApprovalStatus.REJECTED);
        if (reason.isEmpty()) {
            return;
        }
        String keyId = Caller.of(context).keyId();
        String approvalId = approval.get().getApprovalId();
        Future.fromCompletionStage(desk.decide(approvalId, keyId, verdict, reason.get().text()),
                context.vertx().getOrCreateContext()).onComplete(decided -> {
                    if (decided.failed()) {
                        LOG.warn("Approval {}: {} by key {} not recorded ({})", approvalId, verdict, keyId,
                                decided.cause().toString());
                        JsonRoutes.unavailable(context, "The decision was not recorded; retry the same call.");
                        return;
                    }
                    answer(context, decided.result());
                });
    }

    private void answer(RoutingContext context, ApprovalDesk.Decision decision) {
        if (decision instanceof ApprovalDesk.Decision.Decided decided) {
            HttpReplies.replyJson(context, 200, ApprovalJson.of(decided.approval(), desk.now()));
        } else if (decision instanceof ApprovalDesk.Decision.OwnRequest) {
            Problems.send(context, 403, "approval-by-requester", "Own Request",
                    "The key that made this request cannot approve or reject it: another key with "
                            + Scopes.APPROVALS_APPROVE + " must.");
        } else if (decision instanceof ApprovalDesk.Decision.AlreadyDecided already) {
            Problems.send(context, 409, "approval-decided", "Already Decided",
                    "This approval was already " + already.approval().getStatus().name() + "; that is final.");
        } else if (decision instanceof ApprovalDesk.Decision.Expired) {
            Problems.send(context, 409, "approval-expired", "Approval Expired",
                    "This approval expired before it was decided; the request must be made again.");
        } else {
            JsonRoutes.notFound(context, "No approval with this id.");
        }
    }

    /** 429: the merchant has as many approvals pending as it may; nothing was written. */
    public static void limitReached(RoutingContext context) {
        Problems.send(context, 429, "approvals-limit-reached", "Too Many Pending Approvals",
                "This merchant has as many payouts and card batches waiting for approval as it may; "
                        + "have some decided first.");
    }

    /** The approval the path names, if the caller may see it; answers 404 and returns empty otherwise. */
    private Optional<ApprovalRequest> visibleApproval(RoutingContext context) {
        Caller caller = Caller.of(context);
        Optional<ApprovalRequest> approval = desk.view().find(context.pathParam(APPROVAL_ID))
                .filter(found -> caller.mayRead(found.getMerchantId()));
        if (approval.isEmpty()) {
            JsonRoutes.notFound(context, "No approval with this id.");
            return Optional.empty();
        }
        AuditTrail.detail(context, APPROVAL_ID_DETAIL, approval.get().getApprovalId());
        return approval;
    }

    /** A decision's reason as the body gave it; {@code text} is null when an approval came without one. */
    private record Reason(String text) {
    }

    /**
     * The optional (approve) or required (reject) reason of a JSON body, which may be absent when the reason
     * is optional; empty once a problem was answered.
     */
    private static Optional<Reason> reason(RoutingContext context, boolean required) {
        Map<String, Object> body = Map.of();
        if (!context.body().isEmpty()) {
            if (!HttpReplies.JSON.equals(HttpReplies.mediaType(context))) {
                HttpReplies.requireJson(context);
                return Optional.empty();
            }
            Optional<Map<String, Object>> parsed = JsonRoutes.body(context);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            body = parsed.get();
        }
        FieldReader fields = FieldReader.of(body);
        fields.refuseUnknown(Set.of(REASON));
        String reason = fields.text(REASON, required, MAXIMUM_REASON_LENGTH);
        if (fields.hasErrors()) {
            HttpReplies.validationProblem(context, fields.errors());
            return Optional.empty();
        }
        return Optional.of(new Reason(reason));
    }

    private static ApprovalStatus statusFilter(String value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        for (ApprovalStatus status : List.of(ApprovalStatus.PENDING, ApprovalStatus.APPROVED, ApprovalStatus.REJECTED,
                ApprovalStatus.EXPIRED)) {
            if (status.name().equals(value)) {
                return status;
            }
        }
        errors.add(new FieldError("status", "must be one of PENDING, APPROVED, REJECTED, EXPIRED"));
        return null;
    }

    private static int limit(String value, List<FieldError> errors) {
        if (value == null) {
            return DEFAULT_LIST_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAXIMUM_LIST_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below as the field's rule
        }
        errors.add(new FieldError("limit", "must be a whole number from 1 to " + MAXIMUM_LIST_LIMIT));
        return DEFAULT_LIST_LIMIT;
    }
}
