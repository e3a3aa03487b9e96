package dev.ngao.ingest.auth;

import dev.ngao.platform.auth.InMemoryKeyStore;
import dev.ngao.platform.auth.ApiKey;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyAdministrationTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final InMemoryKeyStore store = new InMemoryKeyStore();
    private final KeyAdministration administration = new KeyAdministration(store, clock, new SecureRandom());

    @Test
    void shouldCreateKeyWithOneRandomSecretShownOnlyInTheAnswer() {
        // When a key is created
        KeyAdministration.IssuedSecret issued = administration.create(spec("key-a"));

        // Then the answer carries a strong secret the stored key verifies with, and printing hides it
        assertThat(issued.secret()).startsWith("nsk_").hasSizeGreaterThanOrEqualTo(40);
        assertThat(issued.toString()).doesNotContain(issued.secret());
        ApiKey stored = store.find("key-a").orElseThrow();
        assertThat(stored.activeSecrets(clock.instant())).singleElement()
                .satisfies(secret -> assertThat(secret.value()).isEqualTo(bytes(issued.secret())));
        assertThat(stored.toString()).doesNotContain(issued.secret());
        assertThat(stored.scopes()).containsExactlyInAnyOrder(Scopes.PAYMENTS_WRITE, Scopes.PAYMENTS_READ);
        assertThat(issued.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
    }

    @Test
    void shouldGiveEveryKeyItsOwnSecret() {
        String first = administration.create(spec("key-a")).secret();
        String second = administration.create(spec("key-b")).secret();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void shouldKeepOldSecretActiveDuringOverlapWhenRotating() {
        // Given a key
        String old = administration.create(spec("key-a")).secret();

        // When it is rotated with a two-hour overlap
        KeyAdministration.IssuedSecret fresh = administration.rotate("key-a", Duration.ofHours(2), Duration.ofDays(90));

        // Then both secrets are active now, only the new one after the overlap
        assertThat(activeValues()).containsExactlyInAnyOrder(old, fresh.secret());
        assertThat(fresh.secretId()).isEqualTo("s2");
        clock.advance(Duration.ofHours(2));
        assertThat(activeValues()).containsExactly(fresh.secret());
    }

    @Test
    void shouldRetireOldSecretAtOnceWhenOverlapIsZero() {
        administration.create(spec("key-a"));

        KeyAdministration.IssuedSecret fresh = administration.rotate("key-a", Duration.ZERO, Duration.ofDays(90));

        assertThat(activeValues()).containsExactly(fresh.secret());
        assertThat(store.find("key-a").orElseThrow().secrets()).hasSize(1);
    }

    @Test
    void shouldKeepAtMostThreeSecretsWhenRotatingOften() {
        administration.create(spec("key-a"));

        for (int rotation = 0; rotation < 5; rotation++) {
            administration.rotate("key-a", Duration.ofHours(24), Duration.ofDays(90));
        }

        assertThat(store.find("key-a").orElseThrow().secrets()).hasSize(KeyAdministration.MAXIMUM_SECRETS);
    }

    @Test
    void shouldDropEverySecretAndRefuseRotationWhenRevoked() {
        administration.create(spec("key-a"));

        administration.revoke("key-a");

        ApiKey revoked = store.find("key-a").orElseThrow();
        assertThat(revoked.isRevoked()).isTrue();
        assertThat(revoked.secrets()).isEmpty();
        assertThat(revoked.activeSecrets(clock.instant())).isEmpty();
        assertThatThrownBy(() -> administration.rotate("key-a", Duration.ZERO, Duration.ofDays(1)))
                .hasMessageContaining("revoked");
    }

    @Test
    void shouldRefuseDuplicateKeyUnknownScopeNoNetworkAndBadBinding() {
        administration.create(spec("key-a"));
        KeyAdministration.NewKey base = spec("key-b");

        assertThatThrownBy(() -> administration.create(spec("key-a"))).hasMessageContaining("exists");
        assertThatThrownBy(() -> administration.create(new KeyAdministration.NewKey("key-b", "merchant-b",
                Environment.SANDBOX, Set.of("payments:everything"), base.allowedNetworks(), Set.of(), Duration.ofDays(1))))
                .hasMessageContaining("scopes");
        assertThatThrownBy(() -> administration.create(new KeyAdministration.NewKey("key-b", "merchant-b",
                Environment.SANDBOX, base.scopes(), List.of(), Set.of(), Duration.ofDays(1))))
                .hasMessageContaining("network");
        assertThatThrownBy(() -> administration.create(new KeyAdministration.NewKey("key b", "merchant-b",
                Environment.SANDBOX, base.scopes(), base.allowedNetworks(), Set.of(), Duration.ofDays(1))))
                .hasMessageContaining("key id");
        assertThatThrownBy(() -> administration.create(new KeyAdministration.NewKey("key-b", "merchant-b",
                Environment.SANDBOX, base.scopes(), base.allowedNetworks(), Set.of("md5:abc"), Duration.ofDays(1))))
                .hasMessageContaining("sha256");
        assertThatThrownBy(() -> administration.create(spec("key-c"), "short")).hasMessageContaining("24");
    }

    @Test
    void shouldStoreCertificateBindingsInCanonicalForm() {
        KeyAdministration.NewKey base = spec("key-a");
        String colons = String.join(":", java.util.Collections.nCopies(32, "AB"));

        administration.create(new KeyAdministration.NewKey("key-a", "merchant-a", Environment.LIVE, base.scopes(),
                base.allowedNetworks(), Set.of("sha256:" + colons, "subject:CN=merchant-a, O=Acme"), Duration.ofDays(1)));

        assertThat(store.find("key-a").orElseThrow().clientCertificates())
                .containsExactlyInAnyOrder("sha256:" + "ab".repeat(32), "subject:CN=merchant-a,O=Acme");
    }

    private List<String> activeValues() {
        return store.find("key-a").orElseThrow().activeSecrets(clock.instant()).stream()
                .map(secret -> new String(secret.value(), StandardCharsets.UTF_8)).toList();
    }

    private static KeyAdministration.NewKey spec(String keyId) {
        return new KeyAdministration.NewKey(keyId, "merchant-a", Environment.SANDBOX,
                Set.of(Scopes.PAYMENTS_WRITE, Scopes.PAYMENTS_READ), List.of(CidrBlock.parse("127.0.0.1")), Set.of(),
                Duration.ofDays(30));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
