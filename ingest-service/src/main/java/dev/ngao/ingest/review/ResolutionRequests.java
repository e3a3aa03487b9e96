package dev.ngao.ingest.review;

import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.status.PaymentStatus;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.auth.Caller;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The prologue an analyst's resolution and a challenge's result share, up to each route's own check of the
 * transaction's state: a POST on one transaction, mounted as a creating JSON route behind its scope
 * ({@code 403 insufficient-scope}; {@code 415}, {@code 413} and {@code 400} without {@code Idempotency-Key} as
 * {@link JsonRoutes#mountCreating}), then, in this order, the transaction named in the path must be the caller's
 * merchant's ({@code 404 not-found}, the same answer for another merchant's, so ids cannot be probed), the body
 * one JSON object ({@code 400 malformed-json}) and valid ({@code 422 validation-failed}). Only a request that
 * passed all of these reaches the route's handler.
 *
 * @param <T> the type of a valid body
 */
public final class ResolutionRequests<T> {

    /** The path parameter naming the transaction. */
    public static final String TRANSACTION_ID = "transactionId";

    /** A request that passed the prologue: the caller's transaction, its valid body and the caller's key. */
    public record Accepted<T>(PaymentStatus transaction, T body, String apiKeyId) {
    }

    private final PaymentStatusView statusView;
    private final Function<Map<String, Object>, Validation<T>> validator;
    private final int bodyLimitBytes;

    public ResolutionRequests(PaymentStatusView statusView, Function<Map<String, Object>, Validation<T>> validator,
                              int bodyLimitBytes) {
        this.statusView = statusView;
        this.validator = validator;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    /**
     * Mounts {@code POST pathBefore/:transactionId pathAfter} for callers with {@code scope}; {@code handler}
     * gets the requests that passed the prologue, all others are answered here.
     */
    public void mount(Router router, String pathBefore, String pathAfter, String scope,
                      BiConsumer<RoutingContext, Accepted<T>> handler) {
        JsonRoutes.mountCreating(router, HttpMethod.POST, pathBefore + "/:" + TRANSACTION_ID + pathAfter, scope,
                bodyLimitBytes, context -> read(context).ifPresent(accepted -> handler.accept(context, accepted)));
    }

    /** The request, or empty once its refusal is answered. */
    private Optional<Accepted<T>> read(RoutingContext context) {
        Caller caller = Caller.of(context);
        Optional<PaymentStatus> transaction = statusView.find(context.pathParam(TRANSACTION_ID))
                .filter(found -> found.merchantId().equals(caller.merchantId()));
        if (transaction.isEmpty()) {
            JsonRoutes.notFound(context, "No transaction with this id.");
            return Optional.empty();
        }
        Optional<Map<String, Object>> body = JsonRoutes.body(context);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        Validation<T> result = validator.apply(body.get());
        if (result instanceof Validation.Invalid<T> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return Optional.empty();
        }
        T valid = ((Validation.Valid<T>) result).value();
        return Optional.of(new Accepted<>(transaction.get(), valid, caller.keyId()));
    }
}
