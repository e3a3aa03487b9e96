package dev.ngao.platform.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTest {

    private static final byte[] SECRET = "nsk_a-secret-worth-protecting-0123456".getBytes(StandardCharsets.UTF_8);

    private final SecretCipher cipher = new SecretCipher(TestKeys.masterKey((byte) 1), new SecureRandom());

    @Test
    void shouldDecryptWhatItEncryptedForTheSameKeyAndSecretId() {
        byte[] encrypted = cipher.encrypt(SECRET, "key-a", "s1");

        assertThat(cipher.decrypt(encrypted, "key-a", "s1")).isEqualTo(SECRET);
    }

    @Test
    void shouldNeverProduceTheSecretOrTheSameCiphertextTwice() {
        byte[] first = cipher.encrypt(SECRET, "key-a", "s1");
        byte[] second = cipher.encrypt(SECRET, "key-a", "s1");

        assertThat(first).isNotEqualTo(second);
        assertThat(new String(first, StandardCharsets.ISO_8859_1)).doesNotContain(new String(SECRET, StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldRefuseCiphertextMovedToAnotherKeyOrSecretId() {
        byte[] encrypted = cipher.encrypt(SECRET, "key-a", "s1");

        assertThatThrownBy(() -> cipher.decrypt(encrypted, "key-b", "s1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.decrypt(encrypted, "key-a", "s2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseAlteredCiphertextOrAnotherMasterKey() {
        byte[] encrypted = cipher.encrypt(SECRET, "key-a", "s1");
        byte[] altered = encrypted.clone();
        altered[altered.length - 1] ^= 1;
        SecretCipher other = new SecretCipher(TestKeys.masterKey((byte) 2), new SecureRandom());

        assertThatThrownBy(() -> cipher.decrypt(altered, "key-a", "s1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> other.decrypt(encrypted, "key-a", "s1"))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(error -> assertThat(error.getMessage()).contains("key-a").doesNotContain(new String(SECRET,
                        StandardCharsets.UTF_8)));
        assertThat(other.masterKeyId()).isNotEqualTo(cipher.masterKeyId());
    }

    @Test
    void shouldBindASecretOfAnotherKindToItsDomainAndOwner() {
        byte[] secret = "totp-secret-bytes".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = cipher.encryptFor("ngao-console-totp", "alice", secret);

        assertThat(cipher.decryptFor("ngao-console-totp", "alice", sealed)).isEqualTo(secret);
        assertThatThrownBy(() -> cipher.decryptFor("ngao-console-totp", "bob", sealed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bob");
        assertThatThrownBy(() -> cipher.decrypt(sealed, "alice", ""))
                .as("an API key's slot is another domain").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDecodeMasterKeyInEitherBase64AlphabetAndRefuseOtherLengths() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);

        assertThat(SecretCipher.decodeMasterKey(Base64.getEncoder().encodeToString(key))).isEqualTo(key);
        assertThat(SecretCipher.decodeMasterKey(Base64.getUrlEncoder().withoutPadding().encodeToString(key))).isEqualTo(key);
        assertThatThrownBy(() -> SecretCipher.decodeMasterKey(Base64.getEncoder().encodeToString(new byte[31])))
                .hasMessageContaining("32");
        assertThatThrownBy(() -> SecretCipher.decodeMasterKey("not base64 at all!"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNotRevealTheMasterKeyWhenPrinted() {
        byte[] key = TestKeys.masterKey((byte) 7);
        String printed = new SecretCipher(key, new SecureRandom()).toString();

        assertThat(printed).doesNotContain(Base64.getEncoder().encodeToString(key)).contains("masterKeyId");
    }
}
