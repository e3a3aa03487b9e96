package dev.ngao.console;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The console's alert feed: the alerts Prometheus holds for Ngao's rules (deploy/prometheus/ngao-alerts.yml),
 * read from its HTTP API ({@code GET /api/v1/alerts}) when {@code console.prometheus.url} is set. The console
 * evaluates no rule itself: Prometheus is the one place the rules run, so the console shows exactly what pages
 * the on-call, and says "not configured" rather than guess when no Prometheus is named.
 *
 * <p>Only Ngao's alerts ({@code alertname} starting {@value #NGAO_ALERT_PREFIX}) are shown, with their name,
 * severity, state, summary, description, runbook link and since when; other labels and annotations are not
 * passed on. At most {@value #MAX_ALERTS} are kept, firing before pending, critical before the rest, oldest
 * first.
 */
final class AlertFeed {

    static final String ALERTS_PATH = "/api/v1/alerts";
    static final String NGAO_ALERT_PREFIX = "Ngao";
    static final int MAX_ALERTS = 200;
    /** Prometheus' answer is read up to this size; Ngao has a dozen rules. */
    static final int MAX_BODY_CHARACTERS = 1 << 20;
    private static final Map<String, Integer> SEVERITY_ORDER = Map.of("critical", 0, "warning", 1, "info", 2);

    /** One alert as the console shows it; {@code runbookUrl} and {@code activeAt} may be null. */
    record Alert(String name, String severity, String state, String summary, String description,
                 String runbookUrl, Instant activeAt) {

        JsonObject json() {
            return new JsonObject()
                    .put("name", name)
                    .put("severity", severity)
                    .put("state", state)
                    .put("summary", summary)
                    .put("description", description)
                    .put("runbookUrl", runbookUrl)
                    .put("activeAt", activeAt == null ? null : activeAt.toString());
        }
    }

    /** Prometheus could not be read, or answered something that is not its alerts document. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    private final URI prometheusUrl;
    private final Duration timeout;
    private final HttpClient http;

    /** @param prometheusUrl Prometheus' base URL; empty when none is configured */
    AlertFeed(Optional<URI> prometheusUrl, Duration timeout) {
        this.prometheusUrl = prometheusUrl.orElse(null);
        this.timeout = timeout;
        this.http = prometheusUrl.isPresent() ? HttpClient.newBuilder().connectTimeout(timeout).build() : null;
    }

    boolean configured() {
        return prometheusUrl != null;
    }

    /**
     * Ngao's alerts Prometheus holds now, firing and pending; fails with {@link Unavailable} when Prometheus cannot
     * be read. Call only when {@link #configured()}.
     */
    CompletableFuture<List<Alert>> alerts() {
        if (!configured()) {
            throw new IllegalStateException("no Prometheus is configured");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(prometheusUrl + ALERTS_PATH)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        throw new Unavailable("Prometheus could not be reached (" + cause.getClass().getSimpleName()
                                + ")");
                    }
                    if (response.statusCode() != 200) {
                        throw new Unavailable("Prometheus answered " + response.statusCode());
                    }
                    return parse(response.body());
                });
    }

    /** The alerts of a {@code /api/v1/alerts} answer, Ngao's only, ordered and capped. */
    static List<Alert> parse(String body) {
        if (body == null || body.length() > MAX_BODY_CHARACTERS) {
            throw new Unavailable("Prometheus' answer is missing or larger than " + MAX_BODY_CHARACTERS
                    + " characters");
        }
        JsonArray found;
        try {
            JsonObject document = new JsonObject(body);
            JsonObject data = document.getJsonObject("data");
            if (!"success".equals(document.getString("status")) || data == null
                    || (found = data.getJsonArray("alerts")) == null) {
                throw new Unavailable("Prometheus' answer is not an alerts document");
            }
        } catch (DecodeException | ClassCastException e) {
            throw new Unavailable("Prometheus' answer is not JSON alerts");
        }
        List<Alert> alerts = new ArrayList<>();
        for (Object item : found) {
            if (item instanceof JsonObject alert) {
                alertOf(alert).ifPresent(alerts::add);
            }
        }
        alerts.sort(Comparator.comparing((Alert alert) -> !"firing".equals(alert.state()))
                .thenComparing(alert -> alert.severity() == null ? SEVERITY_ORDER.size()
                        : SEVERITY_ORDER.getOrDefault(alert.severity(), SEVERITY_ORDER.size()))
                .thenComparing(alert -> alert.activeAt() == null ? Instant.MAX : alert.activeAt())
                .thenComparing(Alert::name));
        return List.copyOf(alerts.subList(0, Math.min(alerts.size(), MAX_ALERTS)));
    }

    private static Optional<Alert> alertOf(JsonObject alert) {
        JsonObject labels = alert.getJsonObject("labels", new JsonObject());
        JsonObject annotations = alert.getJsonObject("annotations", new JsonObject());
        String name = text(labels, "alertname");
        if (name == null || !name.startsWith(NGAO_ALERT_PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(new Alert(name, text(labels, "severity"), text(alert, "state"),
                text(annotations, "summary"), text(annotations, "description"), text(annotations, "runbook_url"),
                instant(text(alert, "activeAt"))));
    }

    private static String text(JsonObject object, String field) {
        return object.getValue(field) instanceof String value ? value : null;
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
