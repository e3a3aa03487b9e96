package dev.ngao.console;

import dev.ngao.console.account.Role;
import dev.ngao.platform.auth.RequestSigner;

import java.util.Set;

/**
 * A person signed in: the account (username and role), the API key linked to it (its id and merchant), the
 * scopes the session has (the role's that the key also has), and the signer holding the key's secret, which
 * stays in this process's memory and never reaches the browser or a log ({@link #toString()} names the
 * account and key only).
 *
 * @param csrfToken sent back by the page on every change (header {@value ConsoleHttpApi#CSRF_HEADER}), so a
 *                  request another site makes the browser send carries the cookie but not the token
 */
record AnalystSession(String id, String csrfToken, String username, Role role, String keyId, String merchantId,
                      Set<String> scopes, RequestSigner signer) {

    /** The ingest scopes the console's views and actions need. */
    static final String REVIEWS_RESOLVE = "reviews:resolve";
    static final String REPORTS_READ = "reports:read";
    /** An operator: the stops of every merchant, not only its key's merchant's. */
    static final String OPERATOR_READ = "operator:read";
    /** Maker-checker: approve or reject a payout or card batch another key asked for. */
    static final String APPROVALS_APPROVE = "approvals:approve";

    AnalystSession {
        scopes = Set.copyOf(scopes);
    }

    boolean has(String scope) {
        return scopes.contains(scope);
    }

    @Override
    public String toString() {
        return "AnalystSession[user=" + username + ", key=" + keyId + ", merchant=" + merchantId + "]";
    }
}
