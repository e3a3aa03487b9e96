package dev.ngao.launcher;

import dev.ngao.platform.auth.ApiKey;
import dev.ngao.platform.auth.Environment;
import dev.ngao.ingest.auth.KeyAdministration;
import dev.ngao.platform.auth.KeyStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key commands' arguments and output, on a key store in memory. */
class KeysCommandTest {

    private static final Pattern SECRET = Pattern.compile("nsk_[A-Za-z0-9_-]{43}");

    private final MemoryStore store = new MemoryStore();
    private final KeyAdministration administration = new KeyAdministration(store, Clock.systemUTC(), new SecureRandom());

    @Test
    void shouldCreateKeyAndPrintItsSecretOnceAndListItWithout() {
        // When a key is created
        String created = run("create", "--key-id", "acme-live", "--merchant", "acme", "--environment", "live",
                "--scopes", "payments:write,payments:read", "--allow", "203.0.113.0/24", "--allow", "2001:db8::/32");

        // Then the output shows the secret, and the key is stored as asked
        Matcher secret = SECRET.matcher(created);
        assertThat(secret.find()).as(created).isTrue();
        ApiKey key = store.find("acme-live").orElseThrow();
        assertThat(key.environment()).isEqualTo(Environment.LIVE);
        assertThat(key.allowedNetworks()).extracting(Object::toString).containsExactly("203.0.113.0/24", "2001:db8::/32");

        // And listing shows the key without its secret
        String listed = run("list");
        assertThat(listed).contains("acme-live", "acme", "live", "203.0.113.0/24", "s1 until").doesNotContain(secret.group());
    }

    @Test
    void shouldPrintANewSecretWhenRotatingAndConfirmRevocation() {
        run("create", "--key-id", "k1", "--merchant", "acme", "--scopes", "payments:write", "--allow", "127.0.0.1");

        String rotated = run("rotate", "k1", "--overlap-hours", "2");
        String revoked = run("revoke", "k1");

        assertThat(SECRET.matcher(rotated).find()).isTrue();
        assertThat(rotated).contains("s2", "2 h");
        assertThat(revoked).contains("revoked");
        assertThat(store.find("k1").orElseThrow().isRevoked()).isTrue();
    }

    @Test
    void shouldRefuseKeyWithoutAllowlistOrWithUnknownScopeOrOption() {
        assertThatThrownBy(() -> run("create", "--merchant", "acme", "--scopes", "payments:write"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("network");
        assertThatThrownBy(() -> run("create", "--merchant", "acme", "--scopes", "everything", "--allow", "0.0.0.0/0"))
                .hasMessageContaining("scopes");
        assertThatThrownBy(() -> run("create", "--merchant", "acme", "--colour", "blue")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> run("rotate")).hasMessageContaining("KEY_ID");
        assertThatThrownBy(() -> run("explode")).hasMessageContaining("usage");
    }

    private String run(String... arguments) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        KeysCommand.execute(List.of(arguments), administration, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static final class MemoryStore implements KeyStore {
        private final Map<String, ApiKey> keys = new HashMap<>();

        @Override
        public Optional<ApiKey> find(String keyId) {
            return Optional.ofNullable(keys.get(keyId));
        }

        @Override
        public List<ApiKey> all() {
            return keys.values().stream().sorted(Comparator.comparing(ApiKey::keyId)).toList();
        }

        @Override
        public void save(ApiKey key) {
            keys.put(key.keyId(), key);
        }
    }
}
