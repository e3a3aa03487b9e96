package dev.ngao.ingest.auth;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rate limit: {@code METHOD PATH PERMITS/PERIOD}, e.g. {@code POST /v1/cards 5/1m}. The method is an
 * HTTP method or {@code *} for any; the path is exact, or a prefix when it ends with {@code *}
 * ({@code /v1/payments*} covers {@code /v1/payments} and everything under it). The period is a number of
 * seconds, minutes or hours ({@code 30s}, {@code 1m}, {@code 1h}). Each key has its own budget per rule.
 */
public record RateLimitRule(String method, String path, long permits, Duration period) {

    private static final Pattern FORM = Pattern.compile(
            "([A-Za-z]+|\\*)\\s+(/[^\\s*]*\\*?)\\s+([0-9]{1,9})/([0-9]{1,6})([smh])");

    /**
     * @throws IllegalArgumentException when {@code text} is not of the documented form
     */
    public static RateLimitRule parse(String text) {
        Matcher matcher = FORM.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("a rate limit is METHOD PATH PERMITS/PERIOD, e.g. POST /v1/cards 5/1m: "
                    + text.trim());
        }
        long permits = Long.parseLong(matcher.group(3));
        long amount = Long.parseLong(matcher.group(4));
        if (permits < 1 || amount < 1) {
            throw new IllegalArgumentException("permits and period must be positive: " + text.trim());
        }
        Duration period = switch (matcher.group(5)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        return new RateLimitRule(matcher.group(1).toUpperCase(Locale.ROOT), matcher.group(2), permits, period);
    }

    public boolean matches(String requestMethod, String requestPath) {
        boolean methodMatches = "*".equals(method) || method.equalsIgnoreCase(requestMethod);
        boolean pathMatches = path.endsWith("*")
                ? requestPath.startsWith(path.substring(0, path.length() - 1))
                : requestPath.equals(path) || requestPath.equals(path + "/");
        return methodMatches && pathMatches;
    }

    @Override
    public String toString() {
        return method + " " + path + " " + permits + "/" + period.toSeconds() + "s";
    }
}
