package dev.ngao.console.account;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Passwords as argon2id hashes (RFC 9106), computed by Bouncy Castle, stored as PHC strings
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, unpadded Base64) so the parameters travel with each hash
 * and can be raised later without breaking the stored ones. The default cost is OWASP's first argon2id choice:
 * 19 MiB, 2 passes, 1 lane. A hash is never logged and the password never leaves this class.
 */
public final class PasswordHasher {

    /** OWASP's password storage cheat sheet, argon2id: m=19 MiB, t=2, p=1. */
    public static final Cost DEFAULT_COST = new Cost(19_456, 2, 1);
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{16,64})\\$([A-Za-z0-9+/]{16,128})");
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    /** Argon2 cost: memory in KiB, passes (iterations) and lanes (parallelism). */
    public record Cost(int memoryKib, int iterations, int parallelism) {
        public Cost {
            if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
                throw new IllegalArgumentException("argon2 needs m >= 8p KiB, t >= 1 and p >= 1");
            }
        }
    }

    private final Cost cost;
    private final SecureRandom random;
    /** A hash of a random password, verified against when there is no account, so both take as long. */
    private final String decoy;

    public PasswordHasher(Cost cost, SecureRandom random) {
        this.cost = cost;
        this.random = random;
        byte[] decoyPassword = new byte[SALT_BYTES];
        random.nextBytes(decoyPassword);
        this.decoy = hash(ENCODER.encodeToString(decoyPassword));
    }

    /** A PHC string of {@code password} with a fresh random salt. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = argon2id(password, salt, cost, HASH_BYTES);
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
                + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /**
     * Whether {@code password} is the one {@code stored} was made of, compared in constant time; a malformed
     * stored string matches nothing.
     */
    public boolean verify(String password, String stored) {
        Matcher phc = stored == null ? null : PHC.matcher(stored);
        if (phc == null || !phc.matches()) {
            return false;
        }
        Cost storedCost;
        try {
            storedCost = new Cost(Integer.parseInt(phc.group(1)), Integer.parseInt(phc.group(2)),
                    Integer.parseInt(phc.group(3)));
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] salt = DECODER.decode(phc.group(4));
        byte[] expected = DECODER.decode(phc.group(5));
        return MessageDigest.isEqual(argon2id(password, salt, storedCost, expected.length), expected);
    }

    /** Spends the time of one verification on nothing: for a username without an account. */
    public void verifyDecoy(String password) {
        verify(password, decoy);
    }

    private static byte[] argon2id(String password, byte[] salt, Cost cost, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] hash = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
        return hash;
    }
}
