package dev.ngao.providers.http;

import java.time.Duration;
import java.util.Optional;

/**
 * A call to a provider that did not give an answer Ngao can use. The message names the provider, the
 * operation and the HTTP status or the kind of failure; never a body, a credential or personal data.
 */
public final class ProviderCallException extends RuntimeException {

    private final String provider;
    private final int httpStatus;
    private final boolean retryable;
    private final Duration retryAfter;

    private ProviderCallException(String provider, String message, int httpStatus, boolean retryable,
                                  Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.provider = provider;
        this.httpStatus = httpStatus;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** A status the provider answered with; 5xx, 408 and 429 are worth another attempt, the other 4xx never. */
    public static ProviderCallException status(String provider, String operation, int httpStatus, Duration retryAfter) {
        boolean retryable = httpStatus >= 500 || httpStatus == 429 || httpStatus == 408;
        return new ProviderCallException(provider, operation + " at " + provider + ": HTTP " + httpStatus, httpStatus,
                retryable, retryAfter, null);
    }

    /** The connection failed or the call timed out: the provider may not have seen it, or may have. */
    public static ProviderCallException transport(String provider, String operation, Throwable cause) {
        return new ProviderCallException(provider, operation + " at " + provider + ": "
                + cause.getClass().getSimpleName(), 0, true, null, cause);
    }

    /** The provider answered 2xx with a body that is not what its contract says. */
    public static ProviderCallException unreadable(String provider, String operation, String why) {
        return new ProviderCallException(provider, operation + " at " + provider + ": unreadable answer (" + why + ")",
                0, false, null, null);
    }

    public String provider() {
        return provider;
    }

    /** The HTTP status, 0 when the provider did not answer or answered unreadably. */
    public int httpStatus() {
        return httpStatus;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The wait the provider asked for (Retry-After), if any. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
