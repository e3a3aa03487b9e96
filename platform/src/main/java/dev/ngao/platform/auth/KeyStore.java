package dev.ngao.platform.auth;

import java.util.List;
import java.util.Optional;

/** Where API keys live. Reads are served from memory; {@link #save} returns once the key is durable. */
public interface KeyStore {

    /** The key with this id, revoked ones included (the verifier refuses those itself). */
    Optional<ApiKey> find(String keyId);

    /** Every key, sorted by key id. */
    List<ApiKey> all();

    /** Stores the key's current state, replacing any earlier one with the same id. */
    void save(ApiKey key);
}
