package dev.ngao.platform.webhook;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureSchemeTest {

    private static final byte[] SECRET = "provider-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OLD_SECRET = "provider-secret-old-0123456789ab".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BODY = "{\"eventId\":\"evt-1\",\"status\":\"SUCCESSFUL\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-03-01T15:15:30Z");
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    static Stream<WebhookSignatureScheme> schemes() {
        return Stream.of(new MobileMoneyHubSignature(), new PagoEfectivoSignature(), new CardNetworkSignature());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void shouldAcceptWhenSignedWithTheSecretAndOnTime(WebhookSignatureScheme scheme) {
        // Given a call signed a minute ago
        Map<String, String> headers = scheme.sign(BODY, NOW.minusSeconds(60), SECRET);

        // When it is verified
        // Then it is valid
        assertThat(scheme.verify(lookup(headers), BODY, List.of(SECRET), NOW, TOLERANCE)).isEqualTo(WebhookVerdict.VALID);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void shouldAcceptWhenSignedWithEitherSecretDuringRotation(WebhookSignatureScheme scheme) {
        // Given the provider still signs with the old secret while both are configured
        Map<String, String> headers = scheme.sign(BODY, NOW, OLD_SECRET);

        // Then the call is valid against the pair, and forged against the new secret alone
        assertThat(scheme.verify(lookup(headers), BODY, List.of(SECRET, OLD_SECRET), NOW, TOLERANCE))
                .isEqualTo(WebhookVerdict.VALID);
        assertThat(scheme.verify(lookup(headers), BODY, List.of(SECRET), NOW, TOLERANCE))
                .isEqualTo(WebhookVerdict.FORGED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void shouldRefuseAsForgedWhenBodyOrSecretDiffers(WebhookSignatureScheme scheme) {
        Map<String, String> headers = scheme.sign(BODY, NOW, SECRET);
        byte[] tampered = "{\"eventId\":\"evt-1\",\"status\":\"FAILED\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(scheme.verify(lookup(headers), tampered, List.of(SECRET), NOW, TOLERANCE))
                .isEqualTo(WebhookVerdict.FORGED);
        assertThat(scheme.verify(lookup(scheme.sign(BODY, NOW, OLD_SECRET)), BODY, List.of(SECRET), NOW, TOLERANCE))
                .isEqualTo(WebhookVerdict.FORGED);
        assertThat(scheme.verify(lookup(headers), BODY, List.of(), NOW, TOLERANCE)).isEqualTo(WebhookVerdict.FORGED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void shouldRefuseAsStaleWhenTimestampIsOutsideToleranceEitherWay(WebhookSignatureScheme scheme) {
        Map<String, String> old = scheme.sign(BODY, NOW.minus(TOLERANCE).minusSeconds(1), SECRET);
        Map<String, String> future = scheme.sign(BODY, NOW.plus(TOLERANCE).plusSeconds(1), SECRET);

        assertThat(scheme.verify(lookup(old), BODY, List.of(SECRET), NOW, TOLERANCE)).isEqualTo(WebhookVerdict.STALE);
        assertThat(scheme.verify(lookup(future), BODY, List.of(SECRET), NOW, TOLERANCE)).isEqualTo(WebhookVerdict.STALE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void shouldRefuseAsForgedWhenTimestampIsChangedAfterSigning(WebhookSignatureScheme scheme) {
        // Given a stale call whose timestamp a replayer refreshed (the signature covers the timestamp)
        Map<String, String> stale = scheme.sign(BODY, NOW.minus(Duration.ofHours(1)), SECRET);
        Map<String, String> refreshed = new HashMap<>(stale);
        Map<String, String> fresh = scheme.sign(BODY, NOW, SECRET);
        fresh.forEach((name, value) -> {
            if (name.toLowerCase(Locale.ROOT).contains("timestamp")) {
                refreshed.put(name, value);
            }
        });
        if (scheme instanceof MobileMoneyHubSignature) {
            String signature = stale.get(MobileMoneyHubSignature.SIGNATURE_HEADER);
            refreshed.put(MobileMoneyHubSignature.SIGNATURE_HEADER,
                    "t=" + NOW.getEpochSecond() + signature.substring(signature.indexOf(',')));
        }

        // Then it does not pass
        assertThat(scheme.verify(lookup(refreshed), BODY, List.of(SECRET), NOW, TOLERANCE))
                .isEqualTo(WebhookVerdict.FORGED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void shouldRefuseAsUnsignedWhenHeadersAreMissing(WebhookSignatureScheme scheme) {
        assertThat(scheme.verify(lookup(Map.of()), BODY, List.of(SECRET), NOW, TOLERANCE))
                .isEqualTo(WebhookVerdict.UNSIGNED);
    }

    @Test
    void shouldRefuseAsMalformedWhenHeadersDoNotParse() {
        WebhookSignatureScheme hub = new MobileMoneyHubSignature();
        WebhookSignatureScheme pagoEfectivo = new PagoEfectivoSignature();
        WebhookSignatureScheme cardNetwork = new CardNetworkSignature();
        Map<String, String> peSigned = pagoEfectivo.sign(BODY, NOW, SECRET);

        assertThat(hub.verify(lookup(Map.of("X-Hub-Signature", "t=abc,v1=00")), BODY, List.of(SECRET), NOW, TOLERANCE))
                .isEqualTo(WebhookVerdict.MALFORMED);
        assertThat(hub.verify(lookup(Map.of("X-Hub-Signature", "t=" + NOW.getEpochSecond())), BODY, List.of(SECRET),
                NOW, TOLERANCE)).isEqualTo(WebhookVerdict.MALFORMED);
        // A Lima local time without its offset is refused rather than guessed.
        assertThat(pagoEfectivo.verify(lookup(Map.of("PE-Timestamp", "2026-03-01T10:15:30",
                "PE-Signature", peSigned.get("PE-Signature"))), BODY, List.of(SECRET), NOW, TOLERANCE))
                .isEqualTo(WebhookVerdict.MALFORMED);
        assertThat(pagoEfectivo.verify(lookup(Map.of("PE-Timestamp", peSigned.get("PE-Timestamp"),
                "PE-Signature", "not base64!")), BODY, List.of(SECRET), NOW, TOLERANCE))
                .isEqualTo(WebhookVerdict.MALFORMED);
        assertThat(cardNetwork.verify(lookup(Map.of("X-Card-Network-Timestamp", "" + NOW.getEpochSecond(),
                "X-Card-Network-Signature", "md5=abc")), BODY, List.of(SECRET), NOW, TOLERANCE))
                .isEqualTo(WebhookVerdict.MALFORMED);
    }

    @Test
    void shouldSendPagoEfectivoTimestampInLimaTimeWithItsOffset() {
        Map<String, String> headers = new PagoEfectivoSignature().sign(BODY, NOW, SECRET);

        // 15:15:30 UTC is 10:15:30 in Lima (UTC-5, no daylight saving)
        assertThat(headers.get(PagoEfectivoSignature.TIMESTAMP_HEADER)).isEqualTo("2026-03-01T10:15:30-05:00");
    }

    @Test
    void shouldAcceptHubCallCarryingSignaturesOfOldAndNewSecret() {
        MobileMoneyHubSignature hub = new MobileMoneyHubSignature();
        String withNew = hub.sign(BODY, NOW, SECRET).get(MobileMoneyHubSignature.SIGNATURE_HEADER);
        String withOld = hub.sign(BODY, NOW, OLD_SECRET).get(MobileMoneyHubSignature.SIGNATURE_HEADER);
        String both = withOld + "," + withNew.substring(withNew.indexOf("v1="));

        assertThat(hub.verify(lookup(Map.of(MobileMoneyHubSignature.SIGNATURE_HEADER, both)), BODY, List.of(SECRET),
                NOW, TOLERANCE)).isEqualTo(WebhookVerdict.VALID);
    }

    /** Header lookup by name, case-insensitive as HTTP is. */
    private static UnaryOperator<String> lookup(Map<String, String> headers) {
        Map<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseInsensitive.putAll(headers);
        return caseInsensitive::get;
    }
}
