package dev.ngao.ingest.tls;

import dev.ngao.ingest.IngestApi;
import dev.ngao.platform.auth.ClientAddressResolver;
import dev.ngao.platform.auth.ClientCertificates;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.InMemoryKeyStore;
import dev.ngao.platform.auth.NonceCache;
import dev.ngao.ingest.auth.RateLimiter;
import dev.ngao.platform.auth.SignedRequestGuard;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.platform.auth.RequestSigner;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The listener with TLS and with mutual TLS, on certificates this test makes: a client certificate is
 * required, must come from the configured CA, and must be bound to the key that signs the request.
 */
class MutualTlsTest {

    private static final String SECRET_A = "nsk_secret-of-key-a-0123456789abcdef";
    private static final String SECRET_B = "nsk_secret-of-key-b-0123456789abcdef";
    private static final String PATH = "/v1/hello";

    @TempDir
    static Path directory;
    private static TestCertificates.Identity authority;
    private static TestCertificates.Identity clientA;
    private static TestCertificates.Identity clientB;
    private static TestCertificates.Identity rogueClientA;
    private static Path serverCertificate;
    private static Path serverKey;
    private static Path serverKeyStore;
    private static Path clientAuthority;

    private final InMemoryKeyStore keys = new InMemoryKeyStore();
    private Vertx vertx;
    private int port;

    @BeforeAll
    static void makeCertificates() throws Exception {
        authority = TestCertificates.authority("Ngao Test CA");
        TestCertificates.Identity server = TestCertificates.server(authority);
        clientA = TestCertificates.client(authority, "CN=merchant-a,O=Acme");
        clientB = TestCertificates.client(authority, "CN=merchant-b,O=Acme");
        // Same subject as client A, issued by a CA the server does not trust
        rogueClientA = TestCertificates.client(TestCertificates.authority("Rogue CA"), "CN=merchant-a,O=Acme");
        serverCertificate = TestCertificates.writeCertificatePem(directory.resolve("server.crt"), server.certificate(),
                authority.certificate());
        serverKey = TestCertificates.writePrivateKeyPem(directory.resolve("server.key"), server);
        serverKeyStore = TestCertificates.writePkcs12(directory.resolve("server.p12"), server, authority.certificate());
        clientAuthority = TestCertificates.writeCertificatePem(directory.resolve("client-ca.crt"), authority.certificate());
    }

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
        Instant now = Instant.now();
        // key-a is bound to client A's exact certificate, key-b to client B's subject
        keys.save(TestKeys.withCertificates(TestKeys.key("key-a", "merchant-a", SECRET_A, now),
                Set.of(ClientCertificates.fingerprintBinding(clientA.certificate()))));
        keys.save(TestKeys.withCertificates(TestKeys.key("key-b", "merchant-b", SECRET_B, now),
                Set.of("subject:CN=merchant-b,O=Acme")));
    }

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldAcceptRequestWhenClientCertificateIsBoundToTheSigningKey() throws Exception {
        startMutualTls();

        HttpResponse<String> byFingerprint = get(client(clientA), "key-a", SECRET_A);
        HttpResponse<String> bySubject = get(client(clientB), "key-b", SECRET_B);

        assertThat(byFingerprint.statusCode()).as(byFingerprint.body()).isEqualTo(200);
        assertThat(new JsonObject(byFingerprint.body()).getString("keyId")).isEqualTo("key-a");
        assertThat(byFingerprint.sslSession()).hasValueSatisfying(session ->
                assertThat(session.getProtocol()).isIn("TLSv1.2", "TLSv1.3"));
        assertThat(bySubject.statusCode()).as(bySubject.body()).isEqualTo(200);
    }

    @Test
    void shouldRefuseConnectionWithoutClientCertificate() throws Exception {
        startMutualTls();
        HttpClient anonymous = client(null);

        assertThatThrownBy(() -> get(anonymous, "key-a", SECRET_A)).isInstanceOf(IOException.class);
    }

    @Test
    void shouldRefuseConnectionWithCertificateFromUntrustedAuthority() throws Exception {
        startMutualTls();
        HttpClient rogue = client(rogueClientA);

        assertThatThrownBy(() -> get(rogue, "key-a", SECRET_A)).isInstanceOf(IOException.class);
    }

    @Test
    void shouldRefuseRequestWhenCertificateIsBoundToAnotherKey() throws Exception {
        // Given client B's valid certificate
        startMutualTls();

        // When it signs with key a
        HttpResponse<String> response = get(client(clientB), "key-a", SECRET_A);

        // Then the request is refused: the certificate vouches for key b only
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(response.body()).getString("type")).endsWith("/certificate-mismatch");
    }

    @Test
    void shouldRefuseKeyWithoutAnyBoundCertificateOnMutualTlsDoor() throws Exception {
        startMutualTls();
        keys.save(TestKeys.withCertificates(keys.find("key-a").orElseThrow(), Set.of()));

        HttpResponse<String> response = get(client(clientA), "key-a", SECRET_A);

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void shouldServeTls12AndTls13FromPkcs12KeyStoreWithoutClientCertificates() throws Exception {
        // Given TLS from a PKCS#12 key store, no client certificates
        Map<String, String> settings = new HashMap<>();
        settings.put(TlsSettings.ENABLED, "true");
        settings.put(TlsSettings.KEY_STORE_PATH, serverKeyStore.toString());
        settings.put(TlsSettings.KEY_STORE_PASSWORD, new String(TestCertificates.PASSWORD));
        start(settings, false);

        // When clients limited to TLS 1.2 and to TLS 1.3 call it
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .sslContext(TestCertificates.clientContext(authority.certificate(), null))
                    .sslParameters(new SSLParameters(null, new String[] {protocol}))
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = get(client, "key-a", SECRET_A);

            // Then each is served over the protocol it asked for
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.sslSession().orElseThrow().getProtocol()).isEqualTo(protocol);
        }
    }

    @Test
    void shouldOfferOnlyTls12AndTls13() {
        Map<String, String> settings = new HashMap<>();
        settings.put(TlsSettings.ENABLED, "true");
        settings.put(TlsSettings.CERTIFICATE_PATH, serverCertificate.toString());
        settings.put(TlsSettings.PRIVATE_KEY_PATH, serverKey.toString());

        HttpServerOptions options = tlsSettings(settings).applyTo(new HttpServerOptions());

        assertThat(options.isSsl()).isTrue();
        assertThat(options.getEnabledSecureTransportProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
    }

    private void startMutualTls() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put(TlsSettings.ENABLED, "true");
        settings.put(TlsSettings.CERTIFICATE_PATH, serverCertificate.toString());
        settings.put(TlsSettings.PRIVATE_KEY_PATH, serverKey.toString());
        settings.put(TlsSettings.CLIENT_AUTH, TlsSettings.CLIENT_AUTH_REQUIRED);
        settings.put(TlsSettings.CLIENT_CA_PATH, clientAuthority.toString());
        start(settings, true);
    }

    private void start(Map<String, String> settings, boolean mutualTls) throws Exception {
        TlsSettings tls = tlsSettings(settings);
        assertThat(tls.clientCertificateRequired()).isEqualTo(mutualTls);
        SignedRequestGuard guard = new SignedRequestGuard(keys, Environment.SANDBOX, 300, new NonceCache(1_000),
                new ClientAddressResolver(List.of()), tls.clientCertificateRequired(), Clock.systemUTC());
        RouteGroup hello = router -> router.get(PATH).handler(context -> HttpReplies.replyJson(context, 200,
                new JsonObject().put("keyId", dev.ngao.platform.auth.Caller.of(context).keyId())));
        IngestApi api = IngestApi.of(vertx, guard, new RateLimiter(List.of()), List.of(hello), 4_096);
        HttpServer server = vertx.createHttpServer(tls.applyTo(new HttpServerOptions().setHost("127.0.0.1").setPort(0)))
                .requestHandler(api.router()).listen()
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    private static TlsSettings tlsSettings(Map<String, String> settings) {
        return new TlsSettings(new AbstractConfig(TlsSettings.define(new ConfigDef()), settings));
    }

    private static HttpClient client(TestCertificates.Identity identity) throws Exception {
        SSLContext context = TestCertificates.clientContext(authority.certificate(), identity);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<String> get(HttpClient client, String keyId, String secret) throws Exception {
        URI uri = URI.create("https://127.0.0.1:" + port + PATH);
        HttpRequest request = new RequestSigner(keyId, secret).sign("GET", uri, (byte[]) null)
                .applyTo(HttpRequest.newBuilder(uri)).timeout(Duration.ofSeconds(10)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
