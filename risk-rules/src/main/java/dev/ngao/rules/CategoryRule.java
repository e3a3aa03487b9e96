package dev.ngao.rules;

import dev.ngao.events.CardDetails;

import java.util.List;
import java.util.Optional;

/**
 * {@code category}: the rule set's own merchant category controls on card requests, on top of each
 * card's: a category in {@code blocked}, or outside a non-empty {@code allowed}, matches. A request that
 * carries no category (no card details, or none given) is not judged. Dimension ACCOUNT.
 */
public final class CategoryRule extends BaseRule {

    public record Parameters(List<String> allowed, List<String> blocked) {
        public Parameters {
            allowed = List.copyOf(allowed);
            blocked = List.copyOf(blocked);
        }
    }

    private final Parameters parameters;

    CategoryRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
    }

    static CategoryRule create(RuleSpec spec, ParameterReader reader) {
        List<String> allowed = reader.categories("allowed", false);
        List<String> blocked = reader.categories("blocked", false);
        if (allowed.isEmpty() && blocked.isEmpty()) {
            reader.problem("needs allowed or blocked categories, or both");
        }
        return reader.valid() ? new CategoryRule(spec, new Parameters(allowed, blocked)) : null;
    }

    @Override
    public Dimension dimension() {
        return Dimension.ACCOUNT;
    }

    @Override
    Optional<String> check(RuleInput input) {
        CardDetails card = input.request().getCard();
        String category = card == null ? null : card.getMerchantCategoryCode();
        if (category == null || category.isBlank()) {
            return Optional.empty();
        }
        if (parameters.blocked().contains(category)) {
            return Optional.of("merchant category " + category + " is blocked");
        }
        if (!parameters.allowed().isEmpty() && !parameters.allowed().contains(category)) {
            return Optional.of("merchant category " + category + " is not among the allowed categories");
        }
        return Optional.empty();
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
