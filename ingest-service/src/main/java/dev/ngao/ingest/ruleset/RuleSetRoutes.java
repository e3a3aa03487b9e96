package dev.ngao.ingest.ruleset;

import dev.ngao.events.RuleSetPublished;
import dev.ngao.ingest.auth.Caller;
import dev.ngao.ingest.auth.Scopes;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.platform.http.Problems;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rule sets: an operator with {@code rules:admin} publishes a merchant's rule set, or the default one, as JSON
 * or YAML. The latest published rule set of a merchant is the one in force ({@code risk.rulesets} is
 * compacted by merchant id); the risk engine that applies them comes in a later issue. {@code rules:admin} is
 * an operator's scope, not a merchant's: it may publish for any merchant id.
 */
public final class RuleSetRoutes implements RouteGroup {

    public static final String RULE_SETS_PATH = "/v1/rule-sets";
    static final Set<String> YAML_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml");

    private static final Logger LOG = LoggerFactory.getLogger(RuleSetRoutes.class);

    private final RuleSetValidator validator = new RuleSetValidator();
    private final AcknowledgedPublisher<String, RuleSetPublished> publisher;
    private final Clock clock;
    private final int bodyLimitBytes;

    public RuleSetRoutes(AcknowledgedPublisher<String, RuleSetPublished> publisher, Clock clock, int bodyLimitBytes) {
        this.publisher = publisher;
        this.clock = clock;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    @Override
    public void mount(Router router) {
        router.post(RULE_SETS_PATH).handler(Scopes.require(Scopes.RULES_ADMIN)).handler(RuleSetRoutes::requireJsonOrYaml);
        router.post(RULE_SETS_PATH)
                .handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes))
                .handler(Idempotency.required())
                .handler(this::publish);
    }

    private static void requireJsonOrYaml(RoutingContext context) {
        String mediaType = mediaType(context);
        if (!HttpReplies.JSON.equals(mediaType) && !YAML_TYPES.contains(mediaType)) {
            Problems.send(context, 415, "unsupported-media-type", "Unsupported Media Type",
                    "Send the rule set as application/json or application/yaml.");
            return;
        }
        context.next();
    }

    private void publish(RoutingContext context) {
        Optional<Map<String, Object>> document = document(context);
        if (document.isEmpty()) {
            return;
        }
        Validation<RuleSetValidator.ValidRuleSet> result = validator.validate(document.get());
        if (result instanceof Validation.Invalid<RuleSetValidator.ValidRuleSet> invalid) {
            HttpReplies.validationProblem(context, invalid.errors());
            return;
        }
        RuleSetValidator.ValidRuleSet ruleSet = ((Validation.Valid<RuleSetValidator.ValidRuleSet>) result).value();
        RuleSetPublished event = RuleSetPublished.newBuilder()
                .setMerchantId(ruleSet.merchantId())
                .setVersion(ruleSet.version())
                .setRules(ruleSet.rules())
                .setApiKeyId(Caller.of(context).keyId())
                .setPublishedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build();
        publisher.publish(event.getMerchantId(), event).acknowledged().onComplete(written -> {
            if (written.failed()) {
                LOG.warn("Rule set {} of {} not accepted: Kafka did not acknowledge ({})", event.getVersion(),
                        event.getMerchantId(), written.cause().toString());
                JsonRoutes.unavailable(context, "The rule set was not published; retry later.");
                return;
            }
            LOG.info("Published rule set {} of {} ({} rules) by key {}", event.getVersion(), event.getMerchantId(),
                    event.getRules().size(), event.getApiKeyId());
            HttpReplies.replyJson(context, 202, new JsonObject()
                    .put(RuleSetValidator.MERCHANT_ID, event.getMerchantId())
                    .put(RuleSetValidator.VERSION, event.getVersion())
                    .put("rules", event.getRules().size())
                    .put("status", "PUBLISHED")
                    .put("publishedAt", event.getPublishedAt().toString()));
        });
    }

    /** The body as one object, JSON or YAML by its media type; answers 400 and returns empty when it is not one. */
    private static Optional<Map<String, Object>> document(RoutingContext context) {
        if (!YAML_TYPES.contains(mediaType(context))) {
            return JsonRoutes.body(context);
        }
        Optional<Map<String, Object>> document = context.body().isEmpty() ? Optional.empty()
                : RuleSetDocuments.parseYaml(context.body().buffer().getBytes());
        if (document.isEmpty()) {
            Problems.send(context, 400, "malformed-yaml", "Malformed YAML", "The body must be one YAML mapping.");
        }
        return document;
    }

    private static String mediaType(RoutingContext context) {
        String contentType = context.request().getHeader("Content-Type");
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }
}
