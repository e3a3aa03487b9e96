package dev.ngao.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of any Confluent-compatible Schema Registry (Confluent, Apicurio's ccompat API, Redpanda,
 * Karapace) over its REST API, for {@code schema.registry.url=http(s)://...}.
 *
 * <p>Several comma-separated URLs are tried in turn when one cannot be reached (an {@link IOException}:
 * refused connection, timeout); an answer from a registry, even a refusal, is final. Ids and schemas never
 * change once registered, so they are cached for the life of the client.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /** Confluent's versioned media type, sent as Content-Type and Accept. */
    public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_INFO_SOURCE = "USER_INFO";
    /** Real answers are a few KiB; a registry (or a proxy in front of it) sending more is not trusted. */
    private static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
    /** A service uses a handful of schemas; the bound keeps a misbehaving caller from growing the heap. */
    private static final int MAX_CACHED_ENTRIES = 10_000;
    /** Enough of a registry's error message to explain it, not enough to flood a log line. */
    private static final int MAX_SERVER_MESSAGE_CHARS = 500;

    private final List<String> baseUrls;
    private final Duration requestTimeout;
    private final Optional<String> authorizationHeader;
    private final HttpClient http;
    /** The URL that answered last; the next call starts there rather than at a known-dead first URL. */
    private final AtomicInteger preferredUrl = new AtomicInteger();
    private final Map<Integer, Schema> schemasById = boundedCache();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = boundedCache();

    private record SubjectSchema(String subject, String schemaText) {
    }

    /** A registry's answer: the HTTP status and the JSON body (missing when empty or not JSON). */
    private record Answer(int status, JsonNode body) {
        boolean successful() {
            return status >= 200 && status < 300;
        }
    }

    public RestSchemaRegistryClient(SchemaRegistryConfig config) {
        this.baseUrls = validatedBaseUrls(config.getList(SchemaRegistryConfig.SCHEMA_REGISTRY_URL));
        this.requestTimeout = Duration.ofMillis(config.getInt(SchemaRegistryConfig.REQUEST_TIMEOUT_MS));
        this.authorizationHeader = basicAuthorization(config);
        if (authorizationHeader.isPresent() && baseUrls.stream().anyMatch(url -> url.startsWith("http://"))) {
            LOG.warn("Schema registry credentials are sent over plain http; use https outside a trusted network");
        }
        // HTTP/1.1 explicitly: registries do not need h2c, and the upgrade dance only adds a failure mode.
        // Redirects are not followed, so credentials never travel to a host nobody configured.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema.toString());
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String operation = "Registering a schema under subject " + subject;
        Answer answer = post("/subjects/" + encode(subject) + "/versions", schema, operation);
        if (!answer.successful()) {
            throw refusal(answer, operation);
        }
        int id = requiredInt(answer, "id", operation);
        remember(key, id, schema);
        LOG.debug("Schema id {} registered under subject {}", id, subject);
        return id;
    }

    @Override
    public int idOf(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema.toString());
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String operation = "Looking up a schema under subject " + subject;
        Answer answer = post("/subjects/" + encode(subject), schema, operation);
        if (!answer.successful()) {
            throw refusal(answer, operation);
        }
        int id = requiredInt(answer, "id", operation);
        remember(key, id, schema);
        return id;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        String operation = "Fetching schema " + id;
        Answer answer = get("/schemas/ids/" + id, operation);
        if (!answer.successful()) {
            throw refusal(answer, operation);
        }
        Schema schema = parsedSchema(answer, operation);
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public Optional<RegisteredSchema> latest(String subject) {
        String operation = "Fetching the latest version of subject " + subject;
        Answer answer = get("/subjects/" + encode(subject) + "/versions/latest", operation);
        if (answer.status() == 404 && isNothingRegisteredYet(answer)) {
            // A bare 404 without Confluent's error code is more likely a wrong URL path, and is reported.
            return Optional.empty();
        }
        if (!answer.successful()) {
            throw refusal(answer, operation);
        }
        int id = requiredInt(answer, "id", operation);
        int version = requiredInt(answer, "version", operation);
        Schema schema = parsedSchema(answer, operation);
        schemasById.putIfAbsent(id, schema);
        return Optional.of(new RegisteredSchema(subject, version, id, schema));
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        String operation = "Checking compatibility with subject " + subject;
        Answer answer = post("/compatibility/subjects/" + encode(subject) + "/versions/latest", schema, operation);
        if (answer.status() == 404 && isNothingRegisteredYet(answer)) {
            // Anything may become the first version of a subject.
            return true;
        }
        if (!answer.successful()) {
            throw refusal(answer, operation);
        }
        JsonNode verdict = answer.body().path("is_compatible");
        if (!verdict.isBoolean()) {
            throw new SchemaRegistryException(operation + ": the registry's answer lacks 'is_compatible'", 0);
        }
        return verdict.booleanValue();
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close() before Java 21; its threads are daemons and end with it.
        schemasById.clear();
        idsBySubjectSchema.clear();
    }

    private void remember(SubjectSchema key, int id, Schema schema) {
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
    }

    private Answer get(String path, String operation) {
        return send(path, null, operation);
    }

    private Answer post(String path, Schema schema, String operation) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(Map.of("schema", schema.toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A map of one string must always serialise to JSON", e);
        }
        return send(path, body, operation);
    }

    /** Sends to the preferred URL, then to each other one in turn while they cannot be reached. */
    private Answer send(String path, byte[] body, String operation) {
        int first = preferredUrl.get();
        IOException lastFailure = null;
        for (int attempt = 0; attempt < baseUrls.size(); attempt++) {
            int index = (first + attempt) % baseUrls.size();
            String baseUrl = baseUrls.get(index);
            try {
                Answer answer = sendTo(baseUrl, path, body);
                preferredUrl.set(index);
                return answer;
            } catch (IOException e) {
                lastFailure = e;
                LOG.warn("Schema registry {} unreachable ({}); {}", baseUrl, e.getClass().getSimpleName(),
                        attempt + 1 < baseUrls.size() ? "trying the next URL" : "no URL left");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(operation + " was interrupted", e);
            }
        }
        throw new SchemaRegistryException(operation + " failed: none of the " + baseUrls.size()
                + " schema registry URL(s) could be reached", lastFailure);
    }

    private Answer sendTo(String baseUrl, String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Accept", MEDIA_TYPE);
        authorizationHeader.ifPresent(value -> request.header("Authorization", value));
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", MEDIA_TYPE).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream stream = response.body()) {
            byte[] bytes = stream.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new SchemaRegistryException("Schema registry answer exceeds " + MAX_RESPONSE_BYTES
                        + " bytes; refusing to read it", 0);
            }
            return new Answer(response.statusCode(), jsonOrMissing(bytes));
        }
    }

    /** Error pages of proxies are often HTML; they still carry a status, so a body that is not JSON is no error. */
    private static JsonNode jsonOrMissing(byte[] bytes) {
        if (bytes.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static boolean isNothingRegisteredYet(Answer answer) {
        int errorCode = answer.body().path("error_code").asInt(0);
        return errorCode == SchemaRegistryException.SUBJECT_NOT_FOUND
                || errorCode == SchemaRegistryException.VERSION_NOT_FOUND;
    }

    private static SchemaRegistryException refusal(Answer answer, String operation) {
        int status = answer.status();
        int bodyCode = answer.body().path("error_code").asInt(0);
        int errorCode = switch (status) {
            case 409 -> SchemaRegistryException.INCOMPATIBLE;
            case 422 -> bodyCode / 100 == 422 ? bodyCode : SchemaRegistryException.INVALID_SCHEMA;
            default -> bodyCode != 0 ? bodyCode : status;
        };
        String serverMessage = answer.body().path("message").asText("");
        if (serverMessage.length() > MAX_SERVER_MESSAGE_CHARS) {
            serverMessage = serverMessage.substring(0, MAX_SERVER_MESSAGE_CHARS) + "...";
        }
        return new SchemaRegistryException(operation + " refused by the schema registry (HTTP " + status
                + ", error " + errorCode + ")" + (serverMessage.isEmpty() ? "" : ": " + serverMessage), errorCode);
    }

    private static int requiredInt(Answer answer, String field, String operation) {
        JsonNode value = answer.body().path(field);
        if (!value.isInt()) {
            throw new SchemaRegistryException(operation + ": the registry's answer lacks '" + field + "'", 0);
        }
        return value.intValue();
    }

    private static Schema parsedSchema(Answer answer, String operation) {
        String schemaType = answer.body().path("schemaType").asText("AVRO");
        if (!"AVRO".equals(schemaType)) {
            throw new SchemaRegistryException(operation + ": the registry holds a " + schemaType
                    + " schema there, not Avro", SchemaRegistryException.INVALID_SCHEMA);
        }
        JsonNode text = answer.body().path("schema");
        if (!text.isTextual()) {
            throw new SchemaRegistryException(operation + ": the registry's answer lacks 'schema'", 0);
        }
        try {
            return new Schema.Parser().parse(text.textValue());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(operation + ": the registry's schema is not valid Avro",
                    SchemaRegistryException.INVALID_SCHEMA, e);
        }
    }

    /** Subjects may hold any character; a space must become %20 in a path, not the form encoding's '+'. */
    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> validatedBaseUrls(List<String> urls) {
        if (urls.isEmpty()) {
            throw new ConfigException(SchemaRegistryConfig.SCHEMA_REGISTRY_URL + " names no URL");
        }
        List<String> result = new ArrayList<>(urls.size());
        for (int position = 1; position <= urls.size(); position++) {
            // The value itself stays out of messages: a mistyped URL may still carry a password.
            String problem = "URL " + position + " of " + SchemaRegistryConfig.SCHEMA_REGISTRY_URL;
            String url = urls.get(position - 1).trim();
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new ConfigException(problem + " is not a valid URI");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(problem + " must be an http:// or https:// URL with a host");
            }
            if (uri.getRawUserInfo() != null) {
                throw new ConfigException(problem + " carries credentials; put them in "
                        + SchemaRegistryConfig.BASIC_AUTH_USER_INFO + " instead");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new ConfigException(problem + " must not have a query or a fragment");
            }
            result.add(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        }
        return List.copyOf(result);
    }

    private static Optional<String> basicAuthorization(SchemaRegistryConfig config) {
        if (!USER_INFO_SOURCE.equals(config.getString(SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE))) {
            return Optional.empty();
        }
        Password userInfo = config.getPassword(SchemaRegistryConfig.BASIC_AUTH_USER_INFO);
        String value = userInfo == null ? "" : userInfo.value();
        if (value.indexOf(':') < 1) {
            throw new ConfigException(SchemaRegistryConfig.BASIC_AUTH_USER_INFO + " must be 'user:password' when "
                    + SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE + " is " + USER_INFO_SOURCE);
        }
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** A synchronised map that forgets its least recently used entry beyond {@link #MAX_CACHED_ENTRIES}. */
    private static <K, V> Map<K, V> boundedCache() {
        return Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > MAX_CACHED_ENTRIES;
            }
        });
    }
}
