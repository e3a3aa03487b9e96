package dev.ngao.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ngao.ingest.ops.OperationsRoutes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Compares a router's routes with the OpenAPI document the service serves. */
public final class OpenApiCoverage {

    private OpenApiCoverage() {
    }

    /** The document on the class path, parsed. */
    public static JsonNode document() {
        try (InputStream yaml = OpenApiCoverage.class.getResourceAsStream(OperationsRoutes.OPENAPI_RESOURCE)) {
            return new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Each route of {@code router} under {@code prefix}, with each of its methods, that the document does not
     * describe, as "METHOD /path/{param}"; a route without methods must have at least one operation documented.
     */
    public static List<String> undocumented(Router router, String prefix) {
        JsonNode paths = document().path("paths");
        List<String> missing = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (path == null || !path.startsWith(prefix) || !(route.isExactPath() || route.isRegexPath())) {
                continue;
            }
            String documentedPath = openApiPath(path);
            JsonNode operations = paths.path(documentedPath);
            Set<HttpMethod> methods = route.methods();
            if (methods == null || methods.isEmpty()) {
                if (operations.isMissingNode()) {
                    missing.add("* " + documentedPath);
                }
                continue;
            }
            for (HttpMethod method : methods) {
                if (operations.path(method.name().toLowerCase(Locale.ROOT)).isMissingNode()) {
                    missing.add(method.name() + " " + documentedPath);
                }
            }
        }
        return missing.stream().distinct().toList();
    }

    /** {@code /v1/payments/:transactionId} -> {@code /v1/payments/{transactionId}}. */
    public static String openApiPath(String routePath) {
        return routePath.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
    }
}
