package dev.ngao.risk.query;

import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.ClientAddressResolver;
import dev.ngao.platform.auth.RequestSigning;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.SignedRequestGuard;
import dev.ngao.platform.auth.SignedRoutes;
import dev.ngao.platform.http.Problems;
import dev.ngao.risk.topology.RiskTopology;
import dev.ngao.risk.topology.RuleSetCatalog;
import dev.ngao.risk.topology.StoreKeys;
import dev.ngao.risk.internal.MerchantBudget;
import dev.ngao.risk.internal.RuleSetState;
import dev.ngao.risk.internal.SignalDay;
import dev.ngao.risk.topology.SignalBook;
import dev.ngao.risk.topology.UsageCounters;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.Dimension;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The usage query API over Kafka Streams interactive queries. A key's counters live in one task of one
 * instance: {@code queryMetadataForKey} names it; this instance answers from its own store (read in
 * {@code executeBlocking}, since RocksDB reads may touch the disk) or forwards the request to the owner's
 * {@code application.server} and relays its answer. {@value #SERVED_BY} names the instance that read its
 * store. During a rebalance, when a store is migrating or the owner is unknown or unreachable, the answer
 * is 503 with Retry-After.
 *
 * <p>{@code /v1/usage} takes signed requests only (the ingest door's scheme and keys). A key with
 * {@code usage:read} reads its own merchant's counters only: dimension {@code merchant}, key its merchant
 * id, rule set its own; anything else is answered 404 as unknown counters are, since accounts, devices,
 * addresses and the like are shared by every merchant. A key with {@code operator:read} reads any. A
 * forwarded query carries the caller's signature headers and the client's address (X-Forwarded-For), so
 * the owner instance checks the same signature; the instances must trust each other as proxies
 * ({@code risk.auth.trusted.proxies}) when keys are bound to client networks. /health stays open.
 */
public final class UsageHttpApi {

    /** Response header: the {@code application.server} (host:port) of the instance that read its store. */
    public static final String SERVED_BY = "Ngao-Served-By";
    /** Request header of a forwarded query: the owner answers itself or refuses, never forwards again. */
    public static final String FORWARDED_BY = "Ngao-Forwarded-By";
    static final int MAX_KEY_LENGTH = 256;
    static final String RETRY_AFTER_SECONDS = "1";
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
    private static final StringSerializer KEYS = new StringSerializer();
    private static final Logger LOG = LoggerFactory.getLogger(UsageHttpApi.class);

    private final Vertx vertx;
    private final Supplier<Optional<KafkaStreams>> streams;
    private final RuleSetCatalog catalog;
    private final Duration usageRetention;
    private final Clock clock;
    private final SignedRoutes signed;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(FORWARD_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();
    private volatile HostInfo self;

    /**
     * @param streams the Kafka Streams client, empty until it is started
     * @param catalog the catalog the topology decides with, for the rule set in force
     * @param usageRetention how long the topology keeps a calendar counter from its period's start
     */
    public UsageHttpApi(Vertx vertx, Supplier<Optional<KafkaStreams>> streams, RuleSetCatalog catalog,
                        Duration usageRetention, Clock clock, SignedRoutes signed) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.usageRetention = Objects.requireNonNull(usageRetention, "usageRetention");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signed = Objects.requireNonNull(signed, "signed");
    }

    /** This instance's application.server, known once the HTTP server is bound. */
    public void serveAs(HostInfo self) {
        this.self = Objects.requireNonNull(self, "self");
    }

    public Router router() {
        Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        signed.get(router, "/v1/usage/:dimension/:key", Scopes.USAGE_READ, Scopes.OPERATOR_READ).handler(this::usage);
        router.route().failureHandler(this::failure);
        router.errorHandler(404, context -> Problems.send(context, 404, "not-found", "Not found", null));
        router.errorHandler(405, context -> Problems.send(context, 405, "method-not-allowed", "Method not allowed",
                "the usage API is read-only"));
        return router;
    }

    private void health(RoutingContext context) {
        KafkaStreams.State state = streams.get().map(KafkaStreams::state).orElse(KafkaStreams.State.CREATED);
        // A rebalance is part of running: the stores come back without a restart.
        boolean up = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        context.response().setStatusCode(up ? 200 : 503);
        reply(context, new JsonObject().put("status", up ? "UP" : "DOWN").put("streams", state.name())
                .put("instance", self == null ? null : hostText(self)));
    }

    private void usage(RoutingContext context) {
        Optional<Dimension> dimension = dimension(context.pathParam("dimension"));
        if (dimension.isEmpty()) {
            Problems.send(context, 400, "invalid-dimension", "Invalid dimension", "the dimension must be one of "
                    + Arrays.stream(Dimension.values()).map(d -> d.name().toLowerCase(Locale.ROOT)).toList());
            return;
        }
        String key = context.pathParam("key");
        String keyProblem = keyProblem(key);
        if (keyProblem != null) {
            Problems.send(context, 400, "invalid-key", "Invalid key", keyProblem);
            return;
        }
        Instant at;
        try {
            String atParameter = context.queryParams().get("at");
            at = atParameter == null ? clock.instant() : Instant.parse(atParameter);
        } catch (DateTimeParseException e) {
            Problems.send(context, 400, "invalid-time", "Invalid time", "at must be an ISO-8601 UTC instant, "
                    + "e.g. 2026-03-10T12:00:00Z");
            return;
        }
        String merchant = context.queryParams().get("merchant");
        if (merchant != null && keyProblem(merchant) != null) {
            Problems.send(context, 400, "invalid-merchant", "Invalid merchant", "merchant " + keyProblem(merchant));
            return;
        }
        if (!mayRead(Caller.of(context), dimension.get(), key, merchant)) {
            Problems.send(context, 404, "unknown-usage", "Unknown usage", "no counters of this key are known");
            return;
        }
        Optional<KafkaStreams> client = streams.get();
        if (client.isEmpty() || self == null) {
            unavailable(context, "the stores are not open yet");
            return;
        }
        route(context, client.get(), dimension.get(), key, at, merchant);
    }

    /** An operator reads any counters; a merchant its own merchant's, under its own rule set. */
    private static boolean mayRead(Caller caller, Dimension dimension, String key, String merchant) {
        return caller.isOperator() || (dimension == Dimension.MERCHANT && caller.mayRead(key)
                && (merchant == null || caller.mayRead(merchant)));
    }

    private void route(RoutingContext context, KafkaStreams client, Dimension dimension, String value, Instant at,
                       String merchant) {
        if (dimension != Dimension.ACCOUNT) {
            // Other dimensions' signals are in the global store and their budgets with their owner tasks here.
            readLocally(context, client, dimension, value, at, merchant, -1);
            return;
        }
        KeyQueryMetadata metadata;
        try {
            metadata = client.queryMetadataForKey(RiskTopology.ACCOUNT_SIGNALS_STORE, value, KEYS);
        } catch (IllegalStateException | InvalidStateStoreException e) {
            // Not started yet (StreamsNotStartedException), or stopping.
            unavailable(context, "the instance is not running");
            return;
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            unavailable(context, "the owner of this key is not known yet (rebalancing)");
            return;
        }
        if (metadata.activeHost().equals(self)) {
            readLocally(context, client, dimension, value, at, merchant, metadata.partition());
        } else if (context.request().getHeader(FORWARDED_BY) != null) {
            // The sender thought this instance owns the key; one of the two has stale metadata.
            unavailable(context, "the owner of this key is moving (rebalancing)");
        } else {
            forward(context, metadata.activeHost());
        }
    }

    private void readLocally(RoutingContext context, KafkaStreams client, Dimension dimension, String value,
                             Instant at, String merchant, int partition) {
        vertx.executeBlocking(() -> read(client, dimension, value, at, merchant, partition), false)
                .onSuccess(body -> {
                    context.response().putHeader(SERVED_BY, hostText(self));
                    reply(context, body);
                })
                .onFailure(failure -> {
                    if (failure instanceof InvalidStateStoreException) {
                        unavailable(context, "the store of this key is migrating (rebalancing)");
                    } else {
                        context.fail(failure);
                    }
                });
    }

    private JsonObject read(KafkaStreams client, Dimension dimension, String value, Instant at, String merchant,
                            int partition) {
        UsageReader reader = dimension == Dimension.ACCOUNT ? accountReader(client, partition) : sharedReader(client);
        ReadOnlyKeyValueStore<String, RuleSetState> ruleSets = client.store(StoreQueryParameters.fromNameAndType(
                RiskTopology.RULE_SETS_STORE, QueryableStoreTypes.<String, RuleSetState>keyValueStore()));
        CompiledRuleSet ruleSet = catalog.forMerchant(ruleSets,
                merchant == null ? CompiledRuleSet.DEFAULT_MERCHANT : merchant);
        return reader.read(dimension, value, at, ruleSet);
    }

    private UsageReader accountReader(KafkaStreams client, int partition) {
        ReadOnlyKeyValueStore<String, Long> allTime = client.store(StoreQueryParameters.fromNameAndType(
                RiskTopology.ACCOUNT_ALL_TIME_USAGE_STORE, QueryableStoreTypes.<String, Long>keyValueStore())
                .withPartition(partition));
        ReadOnlyWindowStore<String, SignalDay> accountDays =
                windowStore(client, RiskTopology.ACCOUNT_SIGNALS_STORE, partition);
        return UsageReader.account(UsageCounters.readOnly(accountDays,
                        windowStore(client, RiskTopology.LEGACY_ACCOUNT_USAGE_STORE, partition), allTime, usageRetention),
                SignalBook.readOnly(accountDays));
    }

    private static <V> ReadOnlyWindowStore<String, V> windowStore(KafkaStreams client, String name, int partition) {
        return client.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>windowStore())
                .withPartition(partition));
    }

    /** Another dimension: velocity from the global store, what its limits' owners here escrowed to slices. */
    private static UsageReader sharedReader(KafkaStreams client) {
        ReadOnlyWindowStore<String, SignalDay> signals = client.store(StoreQueryParameters.fromNameAndType(
                RiskTopology.SIGNALS_STORE, QueryableStoreTypes.<String, SignalDay>windowStore()));
        ReadOnlyWindowStore<String, MerchantBudget> budgets = client.store(StoreQueryParameters.fromNameAndType(
                RiskTopology.MERCHANT_BUDGETS_STORE, QueryableStoreTypes.<String, MerchantBudget>windowStore()));
        return new UsageReader(key -> {
            MerchantBudget budget = budgets.fetch(key.storeKey(), UsageCounters.periodStartMs(key));
            return budget == null ? 0L : budget.getGrantedMinor();
        }, SignalBook.globalReader(signals), null);
    }

    /**
     * Relays the owner's answer: status, body, content type, and who served it. The request goes on as the
     * client signed it (raw path and query, the four signature headers), so the owner verifies it again.
     */
    private void forward(RoutingContext context, HostInfo owner) {
        String query = context.request().query();
        URI uri = URI.create("http://" + hostText(owner) + context.request().path()
                + (query == null || query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(FORWARD_TIMEOUT).GET()
                .header(FORWARDED_BY, hostText(self)).header("Accept", "application/json");
        for (String header : new String[]{RequestSigning.KEY_ID_HEADER, RequestSigning.TIMESTAMP_HEADER,
                RequestSigning.NONCE_HEADER, RequestSigning.SIGNATURE_HEADER}) {
            builder.header(header, context.request().getHeader(header));
        }
        SignedRequestGuard.clientAddress(context).ifPresent(address ->
                builder.header(ClientAddressResolver.FORWARDED_FOR_HEADER, address));
        HttpRequest request = builder.build();
        Future.fromCompletionStage(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()), vertx.getOrCreateContext())
                .onSuccess(answer -> {
                    var response = context.response().setStatusCode(answer.statusCode());
                    for (String header : new String[]{"Content-Type", SERVED_BY, "Retry-After"}) {
                        answer.headers().firstValue(header).ifPresent(text -> response.putHeader(header, text));
                    }
                    response.end(answer.body()).onFailure(error ->
                            LOG.debug("Forwarded usage reply not delivered: {}", error.getMessage()));
                })
                .onFailure(failure -> {
                    LOG.warn("Usage query forwarded to {} failed: {}", hostText(owner), failure.toString());
                    unavailable(context, "the instance owning this key did not answer");
                });
    }

    private static Optional<Dimension> dimension(String segment) {
        return Arrays.stream(Dimension.values())
                .filter(dimension -> dimension.name().toLowerCase(Locale.ROOT).equals(segment))
                .findFirst();
    }

    /** Null for a usable key; else why not. Keys are ids and keyed hashes, so '|' and controls are refused. */
    static String keyProblem(String key) {
        if (key == null || key.isBlank()) {
            return "must not be blank";
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return "must be at most " + MAX_KEY_LENGTH + " characters";
        }
        if (key.indexOf(StoreKeys.SEPARATOR) >= 0 || key.chars().anyMatch(Character::isISOControl)) {
            return "must not contain '" + StoreKeys.SEPARATOR + "' or control characters";
        }
        return null;
    }

    private static void unavailable(RoutingContext context, String detail) {
        context.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
        Problems.send(context, 503, "store-unavailable", "Store unavailable", detail);
    }

    static String hostText(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    private static void reply(RoutingContext context, JsonObject body) {
        context.json(body).onFailure(error ->
                LOG.debug("Usage reply not delivered: {}", error.getMessage()));
    }

    private void failure(RoutingContext context) {
        if (context.failure() != null) {
            // The path names the key (an account or a keyed hash): not logged.
            LOG.error("A usage query failed", context.failure());
        }
        int status = context.statusCode() >= 400 ? context.statusCode() : 500;
        Problems.send(context, status, status == 500 ? "internal-error" : "request-failed",
                status == 500 ? "Internal error" : "Request failed", null);
    }
}
