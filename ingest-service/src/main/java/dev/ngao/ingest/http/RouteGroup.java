package dev.ngao.ingest.http;

import io.vertx.ext.web.Router;

import java.util.Map;
import java.util.Set;

/**
 * One area of the API (payments, webhooks, cards, ...): its routes, mounted on the shared router after
 * the guards every {@code /v1} request passes. Each group owns its route table and one handler per route.
 */
public interface RouteGroup {

    void mount(Router router);

    /**
     * The media types besides JSON that a body sent to one of this group's paths may have, by exact path
     * (YAML for rule sets): the {@code /v1} media-type guard lets them through, and the route checks them
     * again. None by default.
     */
    default Map<String, Set<String>> otherBodyMediaTypes() {
        return Map.of();
    }
}
