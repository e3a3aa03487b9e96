package dev.ngao.ingest.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTemplatesTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    @Test
    void shouldNameTemplateNotRawPathWhenRouteHasParameters() {
        RouteTemplates templates = RouteTemplates.of(router());

        assertThat(templates.templateOf(HttpMethod.GET, "/v1/payments/txn_1")).isEqualTo("/v1/payments/:transactionId");
        assertThat(templates.templateOf(HttpMethod.POST, "/v1/payments")).isEqualTo("/v1/payments");
        assertThat(templates.templateOf(HttpMethod.POST, "/v1/payments/")).isEqualTo("/v1/payments");
        assertThat(templates.templateOf(HttpMethod.GET, "/health")).isEqualTo("/health");
    }

    @Test
    void shouldAnswerUnmatchedWhenNoRouteHasThePath() {
        RouteTemplates templates = RouteTemplates.of(router());

        assertThat(templates.templateOf(HttpMethod.GET, "/v1/wallets/+254712345678")).isEqualTo(RouteTemplates.UNMATCHED);
        assertThat(templates.templateOf(HttpMethod.GET, "/v1/payments/a/b")).isEqualTo(RouteTemplates.UNMATCHED);
        assertThat(templates.templateOf(HttpMethod.GET, "/v1/anything")).isEqualTo(RouteTemplates.UNMATCHED);
    }

    @Test
    void shouldListPathsWithoutPrefixRoutesOrRepeats() {
        assertThat(RouteTemplates.of(router()).paths())
                .containsExactly("/health", "/v1/payments", "/v1/payments/:transactionId");
    }

    @Test
    void shouldNameNonStandardMethodsOther() {
        assertThat(RouteTemplates.methodName(HttpMethod.valueOf("FROB"))).isEqualTo(RouteTemplates.OTHER_METHOD);
        assertThat(RouteTemplates.methodName(HttpMethod.PATCH)).isEqualTo("PATCH");
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.route().handler(context -> context.next());
        router.get("/health").handler(context -> context.end());
        router.route("/v1/*").handler(context -> context.next());
        router.post("/v1/payments").handler(context -> context.next());
        router.post("/v1/payments").handler(context -> context.end());
        router.get("/v1/payments/:transactionId").handler(context -> context.end());
        return router;
    }
}
