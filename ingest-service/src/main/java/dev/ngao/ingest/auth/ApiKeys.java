package dev.ngao.ingest.auth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the configured API keys, {@code keyId:merchantId:secret[,keyId:merchantId:secret...]}. Error
 * messages name the entry by position, never by content, because an entry carries its secret.
 */
public final class ApiKeys {

    public static final int MINIMUM_SECRET_LENGTH = 24;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private ApiKeys() {
    }

    /**
     * The keys of {@code text}; empty text gives no keys.
     *
     * @throws IllegalArgumentException with a message safe to print (no secret in it)
     */
    public static List<ApiKey> parse(String text) {
        List<ApiKey> keys = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return keys;
        }
        String[] entries = text.split(",", -1);
        Set<String> keyIds = new HashSet<>();
        for (int index = 0; index < entries.length; index++) {
            ApiKey key = parseEntry(entries[index].trim(), index + 1);
            if (!keyIds.add(key.keyId())) {
                throw new IllegalArgumentException("entry " + (index + 1) + " repeats key id " + key.keyId());
            }
            keys.add(key);
        }
        return keys;
    }

    private static ApiKey parseEntry(String entry, int position) {
        // A limit of 3 lets the secret itself contain ':'.
        String[] parts = entry.split(":", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("entry " + position + " is not keyId:merchantId:secret");
        }
        if (!IDENTIFIER.matcher(parts[0]).matches() || !IDENTIFIER.matcher(parts[1]).matches()) {
            throw new IllegalArgumentException("entry " + position
                    + " must have a key id and a merchant id of 1 to 64 characters among A-Z a-z 0-9 . _ -");
        }
        if (parts[2].length() < MINIMUM_SECRET_LENGTH) {
            throw new IllegalArgumentException("entry " + position + " (key id " + parts[0]
                    + ") has a secret shorter than " + MINIMUM_SECRET_LENGTH + " characters");
        }
        return new ApiKey(parts[0], parts[1], parts[2]);
    }
}
