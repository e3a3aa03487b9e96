package dev.ngao.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ngao.ingest.http.RouteTemplates;
import dev.ngao.ingest.payer.PayerFields;
import dev.ngao.ingest.payment.PaymentRequestValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document describes every route the API mounts: a route added under /v1 or /webhooks without
 * its documentation fails the build. Routes of groups wired only in {@link IngestService} are checked by
 * {@code IngestOperationsIT} on the running service's router.
 */
class OpenApiCoverageTest {

    private static ApiFixture api;

    @BeforeAll
    static void startApi() throws Exception {
        api = ApiFixture.start();
    }

    @AfterAll
    static void stopApi() throws Exception {
        api.close();
    }

    @Test
    void shouldDocumentEveryApiRouteAndMethodWhenMounted() {
        assertThat(OpenApiCoverage.undocumented(api.router, "/v1/"))
                .as("routes under /v1 missing from openapi.yaml")
                .isEmpty();
    }

    @Test
    void shouldDocumentEveryWebhookWhenMounted() {
        assertThat(OpenApiCoverage.undocumented(api.router, "/webhooks/"))
                .as("webhook routes missing from openapi.yaml")
                .isEmpty();
    }

    @Test
    void shouldDocumentTheIdempotencyKeyOfCreatingRequests() {
        JsonNode parameters = OpenApiCoverage.document().at("/paths/~1v1~1payments/post/parameters");
        JsonNode idempotencyKey = OpenApiCoverage.document().at("/components/parameters/IdempotencyKey");

        assertThat(parameters.toString()).contains("#/components/parameters/IdempotencyKey");
        assertThat(idempotencyKey.path("name").asText()).isEqualTo("Idempotency-Key");
        assertThat(idempotencyKey.path("in").asText()).isEqualTo("header");
        assertThat(idempotencyKey.path("required").asBoolean()).isTrue();
    }

    @Test
    void shouldDocumentOperationsRoutesWhenMounted() {
        assertThat(OpenApiCoverage.undocumented(api.router, "/health")).isEmpty();
        assertThat(OpenApiCoverage.undocumented(api.router, "/metrics")).isEmpty();
        assertThat(OpenApiCoverage.undocumented(api.router, "/openapi.yaml")).isEmpty();
    }

    @Test
    void shouldDescribeOnlyRoutesThatExistWhenDocumentNamesApiPaths() {
        // Given the paths the router has
        List<String> mounted = RouteTemplates.of(api.router).paths().stream().map(OpenApiCoverage::openApiPath).toList();

        // Then every documented path is mounted: the document describes the API as it is
        List<String> documented = new ArrayList<>();
        Iterator<String> names = OpenApiCoverage.document().path("paths").fieldNames();
        names.forEachRemaining(documented::add);
        assertThat(mounted).containsAll(documented);
    }

    @Test
    void shouldBeOpenApi31WithProblemSchemaAndSignedRequestScheme() {
        JsonNode document = OpenApiCoverage.document();

        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.at("/components/schemas/Problem/required").toString()).contains("type", "title", "status");
        assertThat(document.at("/components/securitySchemes/signature/name").asText()).isEqualTo("X-Ngao-Signature");
        assertThat(document.at("/components/securitySchemes/timestamp/name").asText()).isEqualTo("X-Ngao-Timestamp");
        assertThat(document.at("/components/securitySchemes/nonce/name").asText()).isEqualTo("X-Ngao-Nonce");
        assertThat(document.at("/components/securitySchemes/keyId/name").asText()).isEqualTo("X-Ngao-Key-Id");
    }

    @Test
    void shouldDocumentExactlyTheFieldsThePaymentAndPayerValidatorsKnow() {
        JsonNode schemas = OpenApiCoverage.document().at("/components/schemas");

        // A field the validator accepts but the document omits (or the reverse) fails here
        assertThat(propertyNames(schemas.path("PaymentRequest"))).containsExactlyInAnyOrderElementsOf(
                PaymentRequestValidator.FIELDS);
        assertThat(propertyNames(schemas.path("Payer"))).containsExactlyInAnyOrderElementsOf(PayerFields.FIELDS);
        assertThat(propertyNames(schemas.path("CipPayer")))
                .containsExactlyInAnyOrderElementsOf(PayerFields.FIELDS_WITHOUT_IDENTITY);
        assertThat(schemas.at("/CipPaymentRequest/properties/payer/$ref").asText())
                .isEqualTo("#/components/schemas/CipPayer");
        assertThat(schemas.at("/Card/properties/expiresAt/format").asText()).isEqualTo("date-time");
    }

    private static List<String> propertyNames(JsonNode schema) {
        List<String> names = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }
}
