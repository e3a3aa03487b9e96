package dev.ngao.ingest.auth;

import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.SignedRequestSettings;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.util.List;

/**
 * The authentication settings of ingest-service: the signed-request settings every service shares
 * ({@link SignedRequestSettings}, under {@code ingest.}) plus the door's rate limits. Defined here and
 * added to the service's one config definition; the master key is never printed.
 */
public final class AuthSettings {

    private static final String PREFIX = "ingest.";
    public static final String MASTER_KEY = PREFIX + SignedRequestSettings.MASTER_KEY;
    public static final String TIMESTAMP_TOLERANCE_SECONDS = PREFIX + SignedRequestSettings.TIMESTAMP_TOLERANCE_SECONDS;
    public static final String NONCE_CACHE_MAX_ENTRIES = PREFIX + SignedRequestSettings.NONCE_CACHE_MAX_ENTRIES;
    public static final String TRUSTED_PROXIES = PREFIX + SignedRequestSettings.TRUSTED_PROXIES;
    public static final String RATE_LIMITS = PREFIX + "rate.limits";

    /** Card issuance is a fraud magnet, so it is tight; payments are generous, the risk rules do the rest. */
    public static final List<String> DEFAULT_RATE_LIMITS = List.of("POST /v1/cards 5/1m", "* /v1/payments* 1000/1s");

    private final SignedRequestSettings signedRequests;
    private final List<RateLimitRule> rateLimits;

    public AuthSettings(AbstractConfig config) {
        this.signedRequests = new SignedRequestSettings(config, PREFIX);
        this.rateLimits = config.getList(RATE_LIMITS).stream().map(RateLimitRule::parse).toList();
    }

    /** The shared settings; the door's environment is {@code ingest.environment}, defined by the service. */
    public static ConfigDef define(ConfigDef definition) {
        return SignedRequestSettings.defineKeys(definition, PREFIX)
                .define(RATE_LIMITS, ConfigDef.Type.LIST, DEFAULT_RATE_LIMITS,
                        new SignedRequestSettings.EachEntry(RateLimitRule::parse),
                        ConfigDef.Importance.MEDIUM, "Rate limits per key as METHOD PATH PERMITS/PERIOD "
                                + "(PATH ending in * is a prefix; PERIOD in s, m or h); the first matching rule "
                                + "applies; counted per ingest instance.");
    }

    public SignedRequestSettings signedRequests() {
        return signedRequests;
    }

    /** A copy of the master key's bytes. */
    public byte[] masterKey() {
        return signedRequests.masterKey();
    }

    public long timestampToleranceSeconds() {
        return signedRequests.timestampToleranceSeconds();
    }

    public int nonceCacheMaxEntries() {
        return signedRequests.nonceCacheMaxEntries();
    }

    public List<CidrBlock> trustedProxies() {
        return signedRequests.trustedProxies();
    }

    public List<RateLimitRule> rateLimits() {
        return rateLimits;
    }

    @Override
    public String toString() {
        return "AuthSettings[" + signedRequests + ", rateLimits=" + rateLimits + "]";
    }
}
