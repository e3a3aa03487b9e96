package dev.ngao.rules;

import java.util.Optional;

/**
 * {@code amount-positive}: a request whose amount is zero or negative matches. ingest-service already
 * refuses such amounts; the rule keeps the usage store's promise that a reservation only ever grows,
 * whoever wrote the request. No parameters; dimension ACCOUNT.
 */
public final class AmountPositiveRule extends BaseRule {

    /** No parameters. */
    public record Parameters() {
    }

    AmountPositiveRule(RuleSpec spec) {
        super(spec);
    }

    static AmountPositiveRule create(RuleSpec spec, ParameterReader reader) {
        return reader.valid() ? new AmountPositiveRule(spec) : null;
    }

    @Override
    public Dimension dimension() {
        return Dimension.ACCOUNT;
    }

    @Override
    Optional<String> check(RuleInput input) {
        if (input.request().getAmount().getAmountMinor() > 0) {
            return Optional.empty();
        }
        return Optional.of("amount must be greater than zero");
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }
}
