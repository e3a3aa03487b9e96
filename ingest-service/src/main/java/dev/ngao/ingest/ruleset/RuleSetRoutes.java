package dev.ngao.ingest.ruleset;

import dev.ngao.events.Rule;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.auth.Caller;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.ingest.http.HttpReplies;
import dev.ngao.ingest.http.JsonRoutes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.idempotency.Idempotency;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.platform.http.Problems;
import dev.ngao.rules.InvalidRuleSetException;
import dev.ngao.rules.RuleSetCompiler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rule sets: an operator with {@code rules:admin} publishes a merchant's rule set, or the default one, as JSON
 * or YAML. The latest published rule set of a merchant is the one in force ({@code risk.rulesets} is
 * compacted by merchant id). {@code rules:admin} is an operator's scope, not a merchant's: it may publish for
 * any merchant id.
 *
 * <p>A rule set is checked twice before it is published: its shape ({@link RuleSetValidator}), then by the
 * very {@link RuleSetCompiler} risk-streams runs it with. One that risk-streams could not run (an unknown
 * type, a missing or malformed parameter, a bad zone...) is answered 422 {@code rule-set-refused} with every
 * problem, each naming its rule, and is not published; risk-streams would refuse it anyway and keep the last
 * good version, but the operator learns it here, synchronously.
 */
public final class RuleSetRoutes implements RouteGroup {

    public static final String RULE_SETS_PATH = "/v1/rule-sets";
    /** The problem type of a well-formed rule set that risk-streams could not run. */
    public static final String REFUSED = "rule-set-refused";
    static final Set<String> YAML_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml");

    private static final Logger LOG = LoggerFactory.getLogger(RuleSetRoutes.class);

    /** Problems listed in one answer at most: a rule set of 500 broken rules gets a bounded answer. */
    static final int MAXIMUM_PROBLEMS_REPORTED = 100;
    static final int MAXIMUM_PROBLEM_LENGTH = 300;

    private final RuleSetValidator validator = new RuleSetValidator();
    private final RuleSetCompiler compiler = new RuleSetCompiler();
    private final AcknowledgedPublisher<String, RuleSetPublished> publisher;
    private final Clock clock;
    private final int bodyLimitBytes;

    public RuleSetRoutes(AcknowledgedPublisher<String, RuleSetPublished> publisher, Clock clock, int bodyLimitBytes) {
        this.publisher = publisher;
        this.clock = clock;
        this.bodyLimitBytes = bodyLimitBytes;
    }

    /** Rule sets may also be YAML: the {@code /v1} media-type guard lets these through to the route's own check. */
    @Override
    public Map<String, Set<String>> otherBodyMediaTypes() {
        return Map.of(RULE_SETS_PATH, YAML_TYPES);
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
        String mediaType = HttpReplies.mediaType(context);
        if (!HttpReplies.JSON.equals(mediaType) && !YAML_TYPES.contains(mediaType)) {
            Problems.send(context, 415, "unsupported-media-type", "Unsupported Media Type",
                    "Send the rule set as application/json or application/yaml (or application/x-yaml, text/yaml).");
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
        List<String> problems = problems(event);
        if (!problems.isEmpty()) {
            refuse(context, event, problems);
            return;
        }
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

    /** What keeps risk-streams from running {@code ruleSet}; empty when it compiles. */
    private List<String> problems(RuleSetPublished ruleSet) {
        try {
            compiler.compile(ruleSet);
            return List.of();
        } catch (InvalidRuleSetException e) {
            return e.problems().isEmpty() ? List.of("the rule set cannot run") : e.problems();
        } catch (RuntimeException e) {
            // A compiler failure on some input is still a rule set risk-streams cannot run, never a 500 here.
            LOG.warn("Rule set {} of {} could not be compiled: {}", ruleSet.getVersion(), ruleSet.getMerchantId(),
                    e.getClass().getName());
            return List.of("the rule set cannot be compiled");
        }
    }

    private static void refuse(RoutingContext context, RuleSetPublished ruleSet, List<String> problems) {
        LOG.info("Refused rule set {} of {}: {} problems", ruleSet.getVersion(), ruleSet.getMerchantId(),
                problems.size());
        JsonArray errors = new JsonArray();
        problems.stream().limit(MAXIMUM_PROBLEMS_REPORTED).forEach(problem -> errors.add(new JsonObject()
                .put("field", field(ruleSet, problem))
                .put("message", bounded(problem))));
        JsonObject problem = Problems.body(422, REFUSED, "Rule Set Refused", "The rule set cannot run: "
                        + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "; see errors.")
                .put("errors", errors);
        HttpReplies.sendProblem(context, 422, REFUSED, problem);
    }

    /**
     * {@code rules[i]} for a problem of the i-th rule (the compiler starts each with {@code rule 'id':}), so
     * the refusal points where a shape error would; {@code rules} for a problem of the whole set.
     */
    static String field(RuleSetPublished ruleSet, String problem) {
        List<Rule> rules = ruleSet.getRules();
        for (int index = 0; index < rules.size(); index++) {
            if (problem.startsWith("rule '" + rules.get(index).getId() + "':")) {
                return RuleSetValidator.RULES + "[" + index + "]";
            }
        }
        return RuleSetValidator.RULES;
    }

    private static String bounded(String problem) {
        return problem.length() <= MAXIMUM_PROBLEM_LENGTH ? problem
                : problem.substring(0, MAXIMUM_PROBLEM_LENGTH - 3) + "...";
    }

    /** The body as one object, JSON or YAML by its media type; answers 400 and returns empty when it is not one. */
    private static Optional<Map<String, Object>> document(RoutingContext context) {
        if (!YAML_TYPES.contains(HttpReplies.mediaType(context))) {
            return JsonRoutes.body(context);
        }
        Optional<Map<String, Object>> document = context.body().isEmpty() ? Optional.empty()
                : RuleSetDocuments.parseYaml(context.body().buffer().getBytes());
        if (document.isEmpty()) {
            Problems.send(context, 400, "malformed-yaml", "Malformed YAML", "The body must be one YAML mapping.");
        }
        return document;
    }
}
