package dev.ngao.console;

import dev.ngao.platform.auth.RequestSigner;

import java.util.Set;

/**
 * A signed-in analyst: the key the analyst signed in with (its id, merchant and scopes as ingest answered
 * them) and the signer holding its secret, which stays in this process's memory and never reaches the
 * browser or a log ({@link #toString()} names the key only).
 *
 * @param csrfToken sent back by the page on every change (header {@value ConsoleHttpApi#CSRF_HEADER}), so a
 *                  request another site makes the browser send carries the cookie but not the token
 */
record AnalystSession(String id, String csrfToken, String keyId, String merchantId, Set<String> scopes,
                      RequestSigner signer) {

    /** The ingest scopes the console's views and actions need. */
    static final String REVIEWS_RESOLVE = "reviews:resolve";
    static final String REPORTS_READ = "reports:read";
    /** An operator's key: the stops of every merchant, not only its own's. */
    static final String OPERATOR_READ = "operator:read";

    AnalystSession {
        scopes = Set.copyOf(scopes);
    }

    boolean has(String scope) {
        return scopes.contains(scope);
    }

    @Override
    public String toString() {
        return "AnalystSession[key=" + keyId + ", merchant=" + merchantId + "]";
    }
}
