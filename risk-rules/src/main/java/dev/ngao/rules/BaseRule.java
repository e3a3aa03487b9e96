package dev.ngao.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ngao.events.AccountKind;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What every rule type shares: its spec (id, type, action, mode, weight, account kinds), the account-kind
 * filter applied before the type's own check, and its parameters written back as JSON.
 */
abstract class BaseRule implements Rule {

    static final String WEIGHT = "weight";
    static final String ACCOUNT_KINDS = "accountKinds";

    private static final ObjectMapper WRITER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final RuleSpec spec;

    BaseRule(RuleSpec spec) {
        this.spec = spec;
    }

    @Override
    public final String id() {
        return spec.id();
    }

    @Override
    public final String type() {
        return spec.type();
    }

    @Override
    public final RuleAction action() {
        return spec.action();
    }

    @Override
    public final RuleMode mode() {
        return spec.mode();
    }

    @Override
    public final int weight() {
        return spec.weight();
    }

    /** The account kinds the rule applies to; empty for every kind. */
    public final Set<AccountKind> accountKinds() {
        return spec.accountKinds();
    }

    @Override
    public final Optional<String> evaluate(RuleInput input) {
        if (!spec.appliesTo(input.request().getAccountKind())) {
            return Optional.empty();
        }
        return check(input);
    }

    @Override
    public final List<UsageKey> usageKeys(PaymentRequest request, String dimensionValue) {
        if (!spec.appliesTo(request.getAccountKind())) {
            return List.of();
        }
        return consumes(request, dimensionValue);
    }

    /** The type's own check, for a request of an account kind the rule applies to. */
    abstract Optional<String> check(RuleInput input);

    /** The counters an approval consumes; none unless the type is a hard limit. */
    List<UsageKey> consumes(PaymentRequest request, String dimensionValue) {
        return List.of();
    }

    /** The type's own parameters, as a record whose component names are the parameter names. */
    public abstract Record parameters();

    @Override
    public final String parametersJson() {
        ObjectNode json = WRITER.valueToTree(parameters());
        if (spec.weight() != 0) {
            json.put(WEIGHT, spec.weight());
        }
        if (!spec.accountKinds().isEmpty()) {
            var kinds = json.putArray(ACCOUNT_KINDS);
            new TreeSet<>(spec.accountKinds()).forEach(kind -> kinds.add(kind.name()));
        }
        try {
            return WRITER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rule parameters always encode", e);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id() + ", " + action() + ", " + mode() + "]";
    }
}
