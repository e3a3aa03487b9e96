package dev.ngao.risk.bench;

/**
 * Stand-ins for the keyed HMACs ingest writes (MSISDN, device, document, email): as long and as spread as
 * SHA-256 hex, unique per purpose, phase and account, and cheap enough for the sender to make 60,000 a second.
 */
final class Identities {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Identities() {
    }

    static String hash(String purpose, int phase, long account, int hexDigits) {
        long seed = mix(phase, account, purpose.hashCode());
        char[] digits = new char[hexDigits];
        for (int position = 0; position < hexDigits; position += 16) {
            seed = splitMix(seed);
            for (int digit = 0; digit < 16 && position + digit < hexDigits; digit++) {
                digits[position + digit] = HEX[(int) (seed >>> (60 - 4 * digit)) & 0xf];
            }
        }
        return new String(digits);
    }

    static long mix(long phase, long account, long salt) {
        return splitMix(splitMix(splitMix(salt) ^ phase) ^ account);
    }

    /** SplitMix64's finaliser: every input bit reaches every output bit. */
    private static long splitMix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
