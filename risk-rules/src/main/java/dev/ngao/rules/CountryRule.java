package dev.ngao.rules;

import java.util.List;
import java.util.Optional;

/**
 * {@code country}: allowed and blocked countries of the payer (default), the card merchant or the IP
 * ({@code of}): a country in {@code blocked}, or outside a non-empty {@code allowed}, matches. A request
 * that does not carry that country is not judged. Dimension ACCOUNT.
 */
public final class CountryRule extends BaseRule {

    public record Parameters(List<String> allowed, List<String> blocked, CountrySource of) {
        public Parameters {
            allowed = List.copyOf(allowed);
            blocked = List.copyOf(blocked);
        }
    }

    private final Parameters parameters;

    CountryRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
    }

    static CountryRule create(RuleSpec spec, ParameterReader reader) {
        List<String> allowed = reader.countries("allowed", false);
        List<String> blocked = reader.countries("blocked", false);
        CountrySource of = reader.enumValue("of", CountrySource.class, CountrySource.PAYER,
                ParameterReader.all(CountrySource.class));
        if (allowed.isEmpty() && blocked.isEmpty()) {
            reader.problem("needs allowed or blocked countries, or both");
        }
        return reader.valid() ? new CountryRule(spec, new Parameters(allowed, blocked, of)) : null;
    }

    @Override
    public Dimension dimension() {
        return Dimension.ACCOUNT;
    }

    @Override
    Optional<String> check(RuleInput input) {
        Optional<String> country = parameters.of().of(input.request());
        if (country.isEmpty()) {
            return Optional.empty();
        }
        String label = parameters.of().label();
        if (parameters.blocked().contains(country.get())) {
            return Optional.of(label + " " + country.get() + " is blocked");
        }
        if (!parameters.allowed().isEmpty() && !parameters.allowed().contains(country.get())) {
            return Optional.of(label + " " + country.get() + " is not among the allowed countries");
        }
        return Optional.empty();
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
