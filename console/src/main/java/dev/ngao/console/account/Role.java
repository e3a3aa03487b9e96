package dev.ngao.console.account;

import dev.ngao.platform.auth.Scopes;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a person may do in the console, as the console's scopes. A session gets the role's scopes that the
 * account's linked API key also has: the role says what the person's job is, the key what the deployment lets
 * that merchant's calls do, and neither widens the other.
 */
public enum Role {
    /**
     * Works a merchant's review queue and reads its reports: resolves reviews, sees breaks and provider health;
     * approves or rejects the merchant's payouts and card batches waiting for a second person (maker-checker).
     */
    ANALYST(Set.of(Scopes.REVIEWS_RESOLVE, Scopes.REPORTS_READ, Scopes.APPROVALS_APPROVE)),
    /**
     * Watches the platform: breaks and provider health, and the emergency stops of every merchant; approves or
     * rejects what waits for a second person.
     */
    OPERATOR(Set.of(Scopes.REPORTS_READ, Scopes.OPERATOR_READ, Scopes.APPROVALS_APPROVE));

    private final Set<String> scopes;

    Role(Set<String> scopes) {
        this.scopes = scopes;
    }

    public Set<String> scopes() {
        return scopes;
    }

    /** The role's scopes that {@code keyScopes} also holds. */
    public Set<String> scopesWithin(Set<String> keyScopes) {
        return scopes.stream().filter(keyScopes::contains).collect(Collectors.toUnmodifiableSet());
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the roles there are */
    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.text().equals(text == null ? "" : text.trim().toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be analyst or operator");
    }
}
