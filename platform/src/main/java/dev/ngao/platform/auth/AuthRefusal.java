package dev.ngao.platform.auth;

/**
 * Why the signed-request guard refused a request, with the status and stable problem type it answers.
 * Refusals that depend on the key (unknown key, no active secret, wrong signature) share one,
 * {@link #INVALID_SIGNATURE}, so nobody learns which key ids exist. Refusals after a valid signature
 * (environment, address, certificate, replay) may say more: only the secret's holder can reach them.
 */
public enum AuthRefusal {
    MISSING_SIGNATURE(401, "missing-signature", "Unauthorized",
            "Sign the request: send X-Ngao-Key-Id, X-Ngao-Timestamp (Unix seconds), X-Ngao-Nonce (16 to 64 "
                    + "characters among A-Z a-z 0-9 - _) and X-Ngao-Signature (v1=<hex HMAC-SHA256>)."),
    TIMESTAMP_OUT_OF_TOLERANCE(401, "timestamp-out-of-tolerance", "Unauthorized",
            "X-Ngao-Timestamp is too far from the server's clock; sign again with the current time."),
    INVALID_SIGNATURE(401, "invalid-signature", "Unauthorized",
            "The key id, secret or signature is not valid."),
    REPLAYED_NONCE(401, "replayed-request", "Unauthorized",
            "This nonce was already used; sign every request, retries included, with a new nonce."),
    WRONG_ENVIRONMENT(403, "wrong-environment", "Forbidden",
            "This key belongs to another environment than this endpoint (sandbox or live)."),
    ADDRESS_NOT_ALLOWED(403, "address-not-allowed", "Forbidden",
            "This key may not be used from this network address."),
    CERTIFICATE_MISMATCH(403, "certificate-mismatch", "Forbidden",
            "The client certificate is not bound to this key."),
    NONCE_CACHE_FULL(503, "unavailable", "Service Unavailable",
            "The service cannot take more signed requests right now; retry shortly.");

    private final int status;
    private final String type;
    private final String title;
    private final String detail;

    AuthRefusal(int status, String type, String title, String detail) {
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }
}
