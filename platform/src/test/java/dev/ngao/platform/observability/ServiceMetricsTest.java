package dev.ngao.platform.observability;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceMetricsTest {

    @Test
    void shouldServeTaggedMetricsInPrometheusFormatWhenScraped() throws Exception {
        // Given a service's metrics with a domain counter and a bound consumer, mounted on a router
        Vertx vertx = Vertx.vertx();
        try (ServiceMetrics metrics = new ServiceMetrics("ledger-service")) {
            Counter.builder("ngao.test.postings").tag("kind", "collection.approved").register(metrics.registry())
                    .increment(3);
            metrics.bind(new MockConsumer<String, String>("earliest"));
            Router router = Router.router(vertx);
            metrics.mount(router);
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0).await();

            // When /metrics is asked for
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.actualPort() + ServiceMetrics.PATH)).build(),
                    HttpResponse.BodyHandlers.ofString());

            // Then the counter, the JVM's metrics and the service tag are there, in the text format
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(ServiceMetrics.CONTENT_TYPE);
            assertThat(response.body())
                    .contains("ngao_test_postings_total{kind=\"collection.approved\",service=\"ledger-service\"} 3.0")
                    .contains("jvm_memory_used_bytes");
        } finally {
            vertx.close().await();
        }
    }
}
