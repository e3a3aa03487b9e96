package dev.ngao.ingest.ops;

import dev.ngao.ingest.http.RequestOutcome;
import dev.ngao.ingest.http.RouteGroup;
import io.vertx.ext.web.Router;

/** Counts every request once its response is over; mounted first on the router, like the audit. */
public final class RequestMetrics implements RouteGroup {

    private final IngestMetrics metrics;

    public RequestMetrics(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void mount(Router router) {
        router.route().handler(context -> {
            context.addEndHandler(ended -> metrics.request(RequestOutcome.of(context, router, ended)));
            context.next();
        });
    }
}
