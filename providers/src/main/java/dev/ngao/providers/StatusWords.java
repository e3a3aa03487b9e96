package dev.ngao.providers;

import dev.ngao.events.ProviderStatus;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A provider's words for payment statuses, both ways: the adapter reads them, the sandbox writes them, so
 * the two sides of one contract cannot drift apart. Each status has exactly one word.
 */
public final class StatusWords {

    private final Map<String, ProviderStatus> statuses;
    private final Map<ProviderStatus, String> words = new EnumMap<>(ProviderStatus.class);

    private StatusWords(Map<String, ProviderStatus> statuses) {
        this.statuses = Map.copyOf(statuses);
        statuses.forEach((word, status) -> {
            if (words.put(status, word) != null) {
                throw new IllegalArgumentException("two words for " + status);
            }
        });
    }

    /** Words in pairs: word, status, word, status... */
    public static StatusWords of(Object... pairs) {
        Map<String, ProviderStatus> map = new LinkedHashMap<>();
        for (int index = 0; index < pairs.length; index += 2) {
            map.put((String) pairs[index], (ProviderStatus) pairs[index + 1]);
        }
        return new StatusWords(map);
    }

    public Optional<ProviderStatus> status(String word) {
        return Optional.ofNullable(word == null ? null : statuses.get(word));
    }

    /** The provider's word for {@code status}; fails for a status this provider never reports. */
    public String word(ProviderStatus status) {
        String word = words.get(status);
        if (word == null) {
            throw new IllegalArgumentException("no word for " + status);
        }
        return word;
    }

    public boolean has(ProviderStatus status) {
        return words.containsKey(status);
    }
}
