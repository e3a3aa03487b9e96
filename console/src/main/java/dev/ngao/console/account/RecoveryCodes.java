package dev.ngao.console.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Single-use recovery codes, for a person whose authenticator is lost: {@value #COUNT} of them, each 80 random
 * bits written as 16 characters of Crockford's Base32 in groups of four ({@code 7K2M-...}). They are shown once
 * at enrolment and stored only as SHA-256 hashes bound to the username; a fast hash is enough for 80 bits of
 * randomness (a slow one is for passwords people choose), and online guessing meets the sign-in lockout first.
 */
public final class RecoveryCodes {

    public static final int COUNT = 10;
    private static final int CODE_BYTES = 10;
    private static final int GROUP = 4;
    /** Crockford's Base32: no I, L, O or U, so a code read aloud or copied by hand is not mistyped. */
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private RecoveryCodes() {
    }

    /** Fresh codes, in the form people are shown. */
    static List<String> generate(SecureRandom random) {
        List<String> codes = new ArrayList<>(COUNT);
        for (int index = 0; index < COUNT; index++) {
            byte[] bytes = new byte[CODE_BYTES];
            random.nextBytes(bytes);
            StringBuilder code = new StringBuilder();
            long high = 0;
            int bits = 0;
            for (byte value : bytes) {
                high = (high << 8) | (value & 0xff);
                bits += 8;
                while (bits >= 5) {
                    if (code.length() % (GROUP + 1) == GROUP) {
                        code.append('-');
                    }
                    code.append(ALPHABET.charAt((int) ((high >> (bits - 5)) & 0x1f)));
                    bits -= 5;
                }
            }
            codes.add(code.toString());
        }
        return codes;
    }

    /** Hex SHA-256 of the normalized code and the username it belongs to. */
    static String hash(String username, String code) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("ngao-console-recovery\0" + username + "\0" + normalize(code)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The stored hash {@code code} matches, compared in constant time; empty when none does. */
    static Optional<String> match(String username, String code, List<String> storedHashes) {
        byte[] presented = hash(username, code).getBytes(StandardCharsets.US_ASCII);
        String found = null;
        for (String stored : storedHashes) {
            if (MessageDigest.isEqual(presented, stored.getBytes(StandardCharsets.US_ASCII))) {
                found = stored;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Upper case, without the dashes and spaces people may or may not type; O read as 0, I and L as 1. */
    private static String normalize(String code) {
        return code.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "").replace('O', '0').replace('I', '1')
                .replace('L', '1');
    }
}
