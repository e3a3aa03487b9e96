package dev.ngao.console.account;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.DEFAULT_COST, new SecureRandom());

    @Test
    void shouldVerifyThePasswordAHashWasMadeOfAndRefuseAnyOther() {
        String hash = hasher.hash("correct horse battery staple");

        assertThat(hasher.verify("correct horse battery staple", hash)).isTrue();
        assertThat(hasher.verify("correct horse battery stapler", hash)).isFalse();
        assertThat(hasher.verify("Correct horse battery staple", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
    }

    @Test
    void shouldStoreArgon2idWithItsParametersAndAFreshSaltNeverThePassword() {
        String first = hasher.hash("correct horse battery staple");
        String second = hasher.hash("correct horse battery staple");

        assertThat(first).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").doesNotContain("correct horse");
        assertThat(first).isNotEqualTo(second);
        assertThat(hasher.verify("correct horse battery staple", second)).isTrue();
    }

    @Test
    void shouldVerifyAHashMadeWithOtherParametersByTheParametersItCarries() {
        String cheap = new PasswordHasher(new PasswordHasher.Cost(64, 1, 1), new SecureRandom()).hash("a long passphrase");

        assertThat(cheap).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
        assertThat(hasher.verify("a long passphrase", cheap)).isTrue();
    }

    @Test
    void shouldMatchNothingWithAMalformedOrForeignHash() {
        assertThat(hasher.verify("x", null)).isFalse();
        assertThat(hasher.verify("x", "")).isFalse();
        assertThat(hasher.verify("x", "$2a$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234")).isFalse();
        assertThat(hasher.verify("x", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA")).isFalse();
        assertThat(hasher.verify("x", "$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA")).isFalse();
    }
}
