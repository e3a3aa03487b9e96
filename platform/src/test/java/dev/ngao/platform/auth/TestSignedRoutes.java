package dev.ngao.platform.auth;

import dev.ngao.platform.kafka.KafkaContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Signed routes over keys in memory, for a service's API tests: {@link #routes()} goes where the service
 * takes its {@link SignedRoutes}; {@link #key} makes a key and answers its signer; {@link #send} signs
 * and sends a request (a null signer sends it unsigned).
 */
public final class TestSignedRoutes {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final InMemoryKeyStore keys = new InMemoryKeyStore();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A guard over this object's keys: sandbox, 300 s tolerance, no trusted proxies. */
    public SignedRoutes routes() {
        return new SignedRoutes(SignedRoutes.guard(keys, Environment.SANDBOX, 300, 10_000, List.of(),
                Clock.systemUTC()), () -> { });
    }

    /** A sandbox key of {@code merchantId} with {@code scopes}, usable from loopback; its signer. */
    public RequestSigner key(String keyId, String merchantId, String... scopes) {
        String secret = "secret-of-" + keyId + "-0123456789abcdef";
        keys.save(TestKeys.withScopes(TestKeys.key(keyId, merchantId, secret, Instant.now()), Set.of(scopes)));
        return new RequestSigner(keyId, secret);
    }

    /**
     * Saves a sandbox key (loopback only) on the key topic, encrypted under {@link TestKeys#MASTER_KEY_TEXT},
     * for a service started with that master key to find; answers its signer. For integration tests.
     */
    public static RequestSigner saveKey(KafkaContext kafka, String keyId, String merchantId, String... scopes)
            throws TimeoutException {
        String secret = "secret-of-" + keyId + "-0123456789abcdef";
        SecretCipher cipher = new SecretCipher(Base64.getDecoder().decode(TestKeys.MASTER_KEY_TEXT), new SecureRandom());
        try (KafkaKeyStore store = new KafkaKeyStore(kafka, cipher, "test-keys-" + keyId).start()) {
            store.save(TestKeys.withScopes(TestKeys.key(keyId, merchantId, secret, Instant.now()), Set.of(scopes)));
        }
        return new RequestSigner(keyId, secret);
    }

    public HttpResponse<String> get(URI uri, RequestSigner signer) throws IOException, InterruptedException {
        return send("GET", uri, null, null, signer);
    }

    /** Sends {@code body} (null for none) with {@code contentType}, signed by {@code signer} unless it is null. */
    public HttpResponse<String> send(String method, URI uri, String contentType, String body, RequestSigner signer)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (signer != null) {
            signer.sign(method, uri, body).applyTo(request);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
