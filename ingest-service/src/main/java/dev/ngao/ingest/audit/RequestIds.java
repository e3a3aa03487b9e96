package dev.ngao.ingest.audit;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The id that ties a request's answer, logs and audit record together: the caller's own
 * {@code X-Request-Id} when it is well formed (so their logs and ours meet), a new UUID otherwise.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";

    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private RequestIds() {
    }

    /**
     * {@code presented} if it is safe to echo and to record: 1 to 64 characters among A-Z a-z 0-9 . _ - and
     * nothing that looks like PII (a phone or card number smuggled in as an id), or any UUID; a new UUID
     * otherwise.
     */
    public static String acceptOrCreate(String presented) {
        if (presented != null && (UUID_TEXT.matcher(presented).matches()
                || (WELL_FORMED.matcher(presented).matches() && !PiiScrubber.looksLikePii(presented)))) {
            return presented;
        }
        return UUID.randomUUID().toString();
    }
}
