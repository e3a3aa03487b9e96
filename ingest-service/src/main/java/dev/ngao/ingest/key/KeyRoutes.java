package dev.ngao.ingest.key;

import dev.ngao.platform.auth.Caller;
import dev.ngao.ingest.http.RouteGroup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/keys/self}: who the signed request's key is (its id, merchant, environment and scopes).
 * Any valid key may ask, so a tool holding a key can learn
 * what the key may do before offering it; the secret is never part of the answer.
 */
public final class KeyRoutes implements RouteGroup {

    public static final String SELF_PATH = "/v1/keys/self";

    @Override
    public void mount(Router router) {
        router.get(SELF_PATH).handler(KeyRoutes::self);
    }

    private static void self(RoutingContext context) {
        Caller caller = Caller.of(context);
        JsonObject body = new JsonObject()
                .put("keyId", caller.keyId())
                .put("merchantId", caller.merchantId())
                .put("environment", caller.environment().name().toLowerCase(java.util.Locale.ROOT))
                .put("scopes", new JsonArray(caller.scopes().stream().sorted().toList()));
        context.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }
}
