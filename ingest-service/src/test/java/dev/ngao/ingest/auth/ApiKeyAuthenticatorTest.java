package dev.ngao.ingest.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyAuthenticatorTest {

    private static final String SECRET_A = "secret-of-merchant-a-000000001";
    private static final String SECRET_B = "secret-of-merchant-b-000000002";

    private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(List.of(
            new ApiKey("key-a", "merchant-a", SECRET_A),
            new ApiKey("key-b", "merchant-b", SECRET_B)));

    @Test
    void shouldAuthenticateKeyWithItsMerchantWhenSecretMatches() {
        // When key-a presents its own secret
        var key = authenticator.authenticate("key-a", "Bearer " + SECRET_A);

        // Then it is authenticated as merchant-a
        assertThat(key).hasValueSatisfying(found -> {
            assertThat(found.keyId()).isEqualTo("key-a");
            assertThat(found.merchantId()).isEqualTo("merchant-a");
        });
    }

    @Test
    void shouldAcceptBearerSchemeInAnyCase() {
        assertThat(authenticator.authenticate("key-b", "bearer " + SECRET_B)).isPresent();
    }

    @Test
    void shouldRefuseWhenSecretIsAnotherKeysSecret() {
        // Given key-a presenting merchant b's secret
        assertThat(authenticator.authenticate("key-a", "Bearer " + SECRET_B)).isEmpty();
    }

    @Test
    void shouldRefuseWhenSecretIsWrongOrTruncated() {
        assertThat(authenticator.authenticate("key-a", "Bearer " + SECRET_A + "x")).isEmpty();
        assertThat(authenticator.authenticate("key-a", "Bearer " + SECRET_A.substring(1))).isEmpty();
        assertThat(authenticator.authenticate("key-a", "Bearer ")).isEmpty();
    }

    @Test
    void shouldRefuseWhenKeyIdIsUnknown() {
        assertThat(authenticator.authenticate("key-c", "Bearer " + SECRET_A)).isEmpty();
    }

    @Test
    void shouldRefuseWhenHeadersAreMissingOrNotBearer() {
        assertThat(authenticator.authenticate(null, "Bearer " + SECRET_A)).isEmpty();
        assertThat(authenticator.authenticate("key-a", null)).isEmpty();
        assertThat(authenticator.authenticate("key-a", "Basic " + SECRET_A)).isEmpty();
        assertThat(authenticator.authenticate("key-a", SECRET_A)).isEmpty();
    }

    @Test
    void shouldNotRevealSecretWhenKeyIsPrinted() {
        assertThat(new ApiKey("key-a", "merchant-a", SECRET_A).toString()).doesNotContain(SECRET_A).contains("key-a");
    }

    @Test
    void shouldRefuseToStartWithoutKeys() {
        assertThatThrownBy(() -> new ApiKeyAuthenticator(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseMalformedEntryByPositionWhenParsing() {
        assertThatThrownBy(() -> ApiKeys.parse("key-a:merchant-a:" + SECRET_A + ",,"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 2")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain(SECRET_A));
        assertThatThrownBy(() -> ApiKeys.parse("key a:merchant-a:" + SECRET_A))
                .hasMessageContaining("entry 1")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain(SECRET_A));
    }
}
