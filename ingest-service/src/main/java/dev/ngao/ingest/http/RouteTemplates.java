package dev.ngao.ingest.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * The route template a request matches ({@code /v1/payments/:transactionId}), never its raw path: the audit
 * and the metrics name what was asked without recording ids or PII a path may carry, and with a bounded
 * number of distinct values. Built from the router's own routes, so a route added later is known at once.
 */
public final class RouteTemplates {

    /** The template of a request no route of the table matches. */
    public static final String UNMATCHED = "unmatched";
    /** Methods named as they are; any other (HTTP allows custom ones) is named this, to keep labels bounded. */
    public static final String OTHER_METHOD = "OTHER";

    private static final Set<HttpMethod> KNOWN_METHODS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.HEAD, HttpMethod.OPTIONS);

    /** One per router: a route table is complete before the server listens, and stays as it is. */
    private static final Map<Router, RouteTemplates> BY_ROUTER = Collections.synchronizedMap(new WeakHashMap<>());

    private final List<Template> templates;

    private RouteTemplates(List<Template> templates) {
        this.templates = List.copyOf(templates);
    }

    /**
     * The routes of {@code router} with a path, in table order. Prefix routes ({@code /v1/*}) guard others
     * and name no resource, so they are left out.
     */
    public static RouteTemplates of(Router router) {
        List<Template> templates = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path != null && (route.isExactPath() || route.isRegexPath())) {
                templates.add(new Template(path, route.methods(), compile(path)));
            }
        }
        return new RouteTemplates(templates);
    }

    /** {@link #of} computed once per router. */
    public static RouteTemplates cachedFor(Router router) {
        return BY_ROUTER.computeIfAbsent(router, RouteTemplates::of);
    }

    /** Every template with a path, in table order, without repeats: for documentation checks. */
    public List<String> paths() {
        return templates.stream().map(Template::path).distinct().toList();
    }

    /** The first template whose path and method match; a path match for another method still names the path. */
    public String templateOf(HttpMethod method, String path) {
        String normalized = path != null && path.length() > 1 && path.endsWith("/")
                ? path.substring(0, path.length() - 1) : path;
        if (normalized == null) {
            return UNMATCHED;
        }
        Optional<Template> sameMethod = templates.stream()
                .filter(template -> template.matches(normalized) && template.allows(method)).findFirst();
        return sameMethod.or(() -> templates.stream().filter(template -> template.matches(normalized)).findFirst())
                .map(Template::path)
                .orElse(UNMATCHED);
    }

    /** The method's name when it is a standard one, {@link #OTHER_METHOD} otherwise. */
    public static String methodName(HttpMethod method) {
        return method != null && KNOWN_METHODS.contains(method) ? method.name() : OTHER_METHOD;
    }

    /** {@code /v1/payments/:transactionId} -> {@code \Q\E/\Qv1\E/\Qpayments\E/[^/]+}: a parameter is one non-empty segment. */
    private static Pattern compile(String path) {
        StringJoiner regex = new StringJoiner("/");
        for (String segment : path.split("/", -1)) {
            regex.add(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
        }
        return Pattern.compile(regex.toString());
    }

    private record Template(String path, Set<HttpMethod> methods, Pattern pattern) {

        boolean matches(String requestPath) {
            return pattern.matcher(requestPath).matches();
        }

        boolean allows(HttpMethod method) {
            return methods == null || methods.isEmpty() || methods.contains(method);
        }
    }
}
