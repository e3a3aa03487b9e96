package dev.ngao.console.account;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * RFC 4648 Base32 (alphabet A-Z and 2-7, no padding), the encoding authenticator apps expect of a TOTP secret in
 * an otpauth:// URI. Decoding ignores case, spaces and padding, as people type a secret in groups.
 */
public final class Base32 {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int BITS_PER_CHARACTER = 5;

    private Base32() {
    }

    public static String encode(byte[] bytes) {
        StringBuilder text = new StringBuilder((bytes.length * 8 + 4) / BITS_PER_CHARACTER);
        int buffer = 0;
        int bits = 0;
        for (byte value : bytes) {
            buffer = (buffer << 8) | (value & 0xff);
            bits += 8;
            while (bits >= BITS_PER_CHARACTER) {
                text.append(ALPHABET.charAt((buffer >> (bits - BITS_PER_CHARACTER)) & 0x1f));
                bits -= BITS_PER_CHARACTER;
            }
        }
        if (bits > 0) {
            text.append(ALPHABET.charAt((buffer << (BITS_PER_CHARACTER - bits)) & 0x1f));
        }
        return text.toString();
    }

    /** @throws IllegalArgumentException on a character outside the alphabet (the message does not quote it) */
    public static byte[] decode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char character : text.toUpperCase(Locale.ROOT).toCharArray()) {
            if (character == ' ' || character == '-' || character == '=') {
                continue;
            }
            int value = ALPHABET.indexOf(character);
            if (value < 0) {
                throw new IllegalArgumentException("not Base32");
            }
            buffer = (buffer << BITS_PER_CHARACTER) | value;
            bits += BITS_PER_CHARACTER;
            if (bits >= 8) {
                bytes.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return bytes.toByteArray();
    }
}
