package dev.ngao.ingest.key;

import dev.ngao.ingest.MerchantApiHarness;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RouteHarness.class)
class KeyRoutesTest {

    private MerchantApiHarness api;

    @BeforeEach
    void start(MerchantApiHarness api) {
        this.api = api;
    }

    @Test
    void shouldAnswerTheCallersKeyMerchantAndScopesWhenAnyKeyAsks() {
        HttpResponse<String> response = api.callAs(MerchantApiHarness.OTHER_MERCHANT, "GET", KeyRoutes.SELF_PATH,
                Set.of(Scopes.REVIEWS_RESOLVE, Scopes.REPORTS_READ), null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("keyId")).isEqualTo(MerchantApiHarness.KEY_ID);
        assertThat(body.getString("merchantId")).isEqualTo(MerchantApiHarness.OTHER_MERCHANT);
        assertThat(body.getString("environment")).isEqualTo("sandbox");
        assertThat(body.getJsonArray("scopes").getList()).isEqualTo(List.of(Scopes.REPORTS_READ, Scopes.REVIEWS_RESOLVE));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void shouldAnswerAKeyWithoutScopesToo() {
        HttpResponse<String> response = api.call("GET", KeyRoutes.SELF_PATH, Set.of(), null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getJsonArray("scopes").isEmpty()).isTrue();
    }
}
