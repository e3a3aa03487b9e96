package dev.ngao.platform.auth;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A key store in memory, for tests that do not need keys to survive. */
public final class InMemoryKeyStore implements KeyStore {

    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();

    @Override
    public Optional<ApiKey> find(String keyId) {
        return keyId == null ? Optional.empty() : Optional.ofNullable(keys.get(keyId));
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
