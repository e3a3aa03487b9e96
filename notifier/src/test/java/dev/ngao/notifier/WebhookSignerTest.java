package dev.ngao.notifier;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignerTest {

    /** The test vector published with the Standard Webhooks specification. */
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1_614_265_330L;
    private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final String OTHER_SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("another-secret-of-32-bytes-long!".getBytes(StandardCharsets.UTF_8));

    @Test
    void shouldProduceTheSpecificationsSignatureWhenSigningItsTestVector() {
        // Given
        WebhookSecret secret = WebhookSecret.parse(SPEC_SECRET);

        // When
        String signature = WebhookSigner.sign(List.of(secret), SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);

        // Then
        assertThat(signature).isEqualTo(SPEC_SIGNATURE);
        assertThat(WebhookSigner.verify(secret, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY, SPEC_SIGNATURE)).isTrue();
    }

    @Test
    void shouldSignWithEverySecretWhenAMerchantRotates() {
        // Given
        WebhookSecret newSecret = WebhookSecret.parse(OTHER_SECRET);
        WebhookSecret oldSecret = WebhookSecret.parse(SPEC_SECRET);

        // When
        String header = WebhookSigner.sign(List.of(newSecret, oldSecret), SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);

        // Then
        String[] signatures = header.split(" ");
        assertThat(signatures).hasSize(2);
        assertThat(signatures[1]).isEqualTo(SPEC_SIGNATURE);
        assertThat(signatures[0]).startsWith("v1,").isNotEqualTo(SPEC_SIGNATURE);
        assertThat(WebhookSigner.verify(newSecret, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY, header)).isTrue();
        assertThat(WebhookSigner.verify(oldSecret, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY, header)).isTrue();
    }

    @Test
    void shouldRefuseWhenBodyIdOrTimestampWasChanged() {
        // Given
        WebhookSecret secret = WebhookSecret.parse(SPEC_SECRET);
        String header = WebhookSigner.sign(List.of(secret), SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY);

        // Then
        assertThat(WebhookSigner.verify(secret, SPEC_ID, SPEC_TIMESTAMP,
                "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8), header)).isFalse();
        assertThat(WebhookSigner.verify(secret, "msg_other", SPEC_TIMESTAMP, SPEC_BODY, header)).isFalse();
        assertThat(WebhookSigner.verify(secret, SPEC_ID, SPEC_TIMESTAMP + 1, SPEC_BODY, header)).isFalse();
        assertThat(WebhookSigner.verify(WebhookSecret.parse(OTHER_SECRET), SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY,
                header)).isFalse();
        assertThat(WebhookSigner.verify(secret, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY, "v2,garbage v1,%%%")).isFalse();
    }

    @Test
    void shouldRefuseSecretsWhenNotWhsecBase64OfEnoughBytes() {
        assertThatThrownBy(() -> WebhookSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .hasMessageContaining("whsec_");
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_not*base64!"))
                .hasMessageContaining("base64").hasMessageNotContaining("not*base64");
        assertThatThrownBy(() -> WebhookSecret.parse("whsec_c2hvcnQ="))
                .hasMessageContaining("24 to 64 bytes");
        assertThat(WebhookSecret.parse(SPEC_SECRET).toString()).doesNotContain("MfKQ");
    }
}
