package dev.ngao.console.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TotpTest {

    /** RFC 6238 appendix B's seeds: the ASCII digits repeated to the hash's key length. */
    private static final byte[] SHA1_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_SEED = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_SEED = ("1234567890123456789012345678901234567890123456789012345678901234")
            .getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "{0} s, {1}")
    @CsvSource({
            "59, HmacSHA1, 94287082", "59, HmacSHA256, 46119246", "59, HmacSHA512, 90693936",
            "1111111109, HmacSHA1, 07081804", "1111111109, HmacSHA256, 68084774", "1111111109, HmacSHA512, 25091201",
            "1111111111, HmacSHA1, 14050471", "1111111111, HmacSHA256, 67062674", "1111111111, HmacSHA512, 99943326",
            "1234567890, HmacSHA1, 89005924", "1234567890, HmacSHA256, 91819424", "1234567890, HmacSHA512, 93441116",
            "2000000000, HmacSHA1, 69279037", "2000000000, HmacSHA256, 90698825", "2000000000, HmacSHA512, 38618901",
            "20000000000, HmacSHA1, 65353130", "20000000000, HmacSHA256, 77737706", "20000000000, HmacSHA512, 47863826"})
    void shouldComputeTheRfc6238TestVectors(long epochSeconds, String algorithm, String expected) {
        byte[] seed = switch (algorithm) {
            case "HmacSHA256" -> SHA256_SEED;
            case "HmacSHA512" -> SHA512_SEED;
            default -> SHA1_SEED;
        };

        String code = Totp.codeAt(seed, Totp.step(Instant.ofEpochSecond(epochSeconds)), 8, algorithm);

        assertThat(code).isEqualTo(expected);
    }

    @Test
    void shouldGiveSixDigitCodesOfThirtySecondStepsWithSha1ByDefault() {
        // The RFC's SHA-1 vector at 59 s, 94287082, cut to its last six digits
        assertThat(Totp.code(SHA1_SEED, Instant.ofEpochSecond(59))).isEqualTo("287082");
        assertThat(Totp.code(SHA1_SEED, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
        assertThat(Totp.step(Instant.ofEpochSecond(59))).isEqualTo(1);
        assertThat(Totp.step(Instant.ofEpochSecond(60))).isEqualTo(2);
    }

    @Test
    void shouldAcceptACodeOneStepEitherSideOfNowAndNoFurther() {
        Instant now = Instant.parse("2026-12-01T08:00:15Z");
        long current = Totp.step(now);

        assertThat(Totp.match(SHA1_SEED, Totp.code(SHA1_SEED, now), now, 0)).hasValue(current);
        assertThat(Totp.match(SHA1_SEED, Totp.code(SHA1_SEED, now.minusSeconds(30)), now, 0)).hasValue(current - 1);
        assertThat(Totp.match(SHA1_SEED, Totp.code(SHA1_SEED, now.plusSeconds(30)), now, 0)).hasValue(current + 1);
        assertThat(Totp.match(SHA1_SEED, Totp.code(SHA1_SEED, now.minusSeconds(60)), now, 0)).isEmpty();
        assertThat(Totp.match(SHA1_SEED, Totp.code(SHA1_SEED, now.plusSeconds(60)), now, 0)).isEmpty();
    }

    @Test
    void shouldRefuseACodeOfAStepAlreadyUsedAndWhatIsNotSixDigits() {
        Instant now = Instant.parse("2026-12-01T08:00:15Z");
        String code = Totp.code(SHA1_SEED, now);

        assertThat(Totp.match(SHA1_SEED, code, now, Totp.step(now))).isEmpty();
        assertThat(Totp.match(SHA1_SEED, code, now, Totp.step(now) - 1)).isPresent();
        assertThat(Totp.match(SHA1_SEED, "12345", now, 0)).isEmpty();
        assertThat(Totp.match(SHA1_SEED, "abcdef", now, 0)).isEmpty();
        assertThat(Totp.match(SHA1_SEED, null, now, 0)).isEmpty();
    }

    @Test
    void shouldWriteTheOtpauthUriAuthenticatorsRead() {
        String uri = Totp.uri("Ngao", "alice.k", SHA1_SEED);

        assertThat(uri).isEqualTo("otpauth://totp/Ngao:alice.k?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Ngao"
                + "&algorithm=SHA1&digits=6&period=30");
    }

    @Test
    void shouldEncodeAndDecodeBase32AsRfc4648Says() {
        String[][] vectors = {{"f", "MY"}, {"fo", "MZXQ"}, {"foo", "MZXW6"}, {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"},
                {"foobar", "MZXW6YTBOI"}};
        for (String[] vector : vectors) {
            assertThat(Base32.encode(vector[0].getBytes(StandardCharsets.US_ASCII))).isEqualTo(vector[1]);
            assertThat(new String(Base32.decode(vector[1].toLowerCase()), StandardCharsets.US_ASCII)).isEqualTo(vector[0]);
        }
        assertThat(Base32.decode("MZXW 6YTB OI======")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
    }
}
