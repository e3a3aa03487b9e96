package dev.ngao.ingest.review;

import dev.ngao.ingest.MerchantApiHarness;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.util.Set;

import static dev.ngao.ingest.MerchantApiHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refusals both routes that take a resolution get from {@link ResolutionRequests}, in its order: scope, then
 * the caller's own transaction, then a JSON object body, then a valid one; all before the route looks at the
 * transaction's state, and none writes anything.
 */
@ExtendWith(RouteHarness.class)
class ResolutionRequestsTest {

    private static final String TRANSACTION = "txn_00000000000000000000000000000003";
    private static final String UNKNOWN = "txn_0000000000000000000000000000000f";
    private static final String OTHERS = "txn_00000000000000000000000000000004";
    private static final String MALFORMED = "{\"outcome\": ";

    /** The routes mounted through {@link ResolutionRequests}, each with its scope and a valid body. */
    enum Route {
        REVIEW_RESOLUTION("/v1/reviews/%s/resolution", Scopes.REVIEWS_RESOLVE, "{\"outcome\": \"APPROVE\"}"),
        CHALLENGE_RESULT("/v1/payments/%s/challenge", Scopes.PAYMENTS_WRITE, "{\"result\": \"PASSED\"}");

        final String pathFormat;
        final Set<String> scopes;
        final String validBody;

        Route(String pathFormat, String scope, String validBody) {
            this.pathFormat = pathFormat;
            this.scopes = Set.of(scope);
            this.validBody = validBody;
        }

        String path(String transactionId) {
            return pathFormat.formatted(transactionId);
        }
    }

    private MerchantApiHarness api;

    @BeforeEach
    void start(MerchantApiHarness api) {
        this.api = api;
        // Pending: neither in review nor challenged, so a request that passed the prologue would get a 409
        api.seedCollection(TRANSACTION, MerchantApiHarness.MERCHANT, 150_000L, null);
        api.seedCollection(OTHERS, MerchantApiHarness.OTHER_MERCHANT, 150_000L, null);
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void shouldAnswer403InsufficientScopeWhenTheKeyLacksTheRoutesScope(Route route) {
        // When a key that may only read payments posts a valid body for the caller's transaction
        HttpResponse<String> response = api.call("POST", route.path(TRANSACTION), Set.of(Scopes.PAYMENTS_READ), JSON,
                route.validBody);

        // Then it is refused for its scope, and nothing is written
        assertRefused(response, 403, "insufficient-scope");
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void shouldAnswer404NotFoundAlikeWhenTheTransactionIsUnknownOrAnotherMerchants(Route route) {
        HttpResponse<String> unknown = api.call("POST", route.path(UNKNOWN), route.scopes, JSON, route.validBody);
        HttpResponse<String> others = api.call("POST", route.path(OTHERS), route.scopes, JSON, route.validBody);

        assertRefused(unknown, 404, "not-found");
        assertRefused(others, 404, "not-found");
        assertThat(others.body()).isEqualTo(unknown.body());
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void shouldAnswer404BeforeReadingTheBodyWhenTheTransactionIsUnknown(Route route) {
        HttpResponse<String> response = api.call("POST", route.path(UNKNOWN), route.scopes, JSON, MALFORMED);

        assertRefused(response, 404, "not-found");
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void shouldAnswer400MalformedJsonBeforeTheStateCheckWhenTheBodyIsNotOneJsonObject(Route route) {
        for (String body : new String[] {MALFORMED, "[]", "{\"outcome\": \"APPROVE\", \"outcome\": \"APPROVE\"}"}) {
            HttpResponse<String> response = api.call("POST", route.path(TRANSACTION), route.scopes, JSON, body);

            assertRefused(response, 400, "malformed-json");
        }
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void shouldAnswer422ValidationFailedBeforeTheStateCheckWhenTheBodyIsInvalid(Route route) {
        HttpResponse<String> response = api.call("POST", route.path(TRANSACTION), route.scopes, JSON, "{}");

        assertRefused(response, 422, "validation-failed");
        assertThat(new JsonObject(response.body()).getJsonArray("errors")).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void shouldLetAValidRequestReachTheRoutesStateCheckWhenTheTransactionIsTheCallers(Route route) {
        HttpResponse<String> response = api.call("POST", route.path(TRANSACTION), route.scopes, JSON, route.validBody);

        // The pending transaction takes neither a resolution nor a challenge result: the route's own 409
        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(api.reviews.history()).isEmpty();
    }

    private void assertRefused(HttpResponse<String> response, int status, String problemType) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(new JsonObject(response.body()).getString("type")).endsWith("/" + problemType);
        assertThat(api.reviews.history()).isEmpty();
    }
}
