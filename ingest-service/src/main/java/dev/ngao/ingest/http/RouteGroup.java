package dev.ngao.ingest.http;

import io.vertx.ext.web.Router;

/**
 * One area of the API (payments, webhooks, cards, ...): its routes, mounted on the shared router after
 * the guards every {@code /v1} request passes. Each group owns its route table and one handler per route.
 */
public interface RouteGroup {

    void mount(Router router);
}
