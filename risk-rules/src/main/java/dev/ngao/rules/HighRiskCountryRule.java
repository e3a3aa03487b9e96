package dev.ngao.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code high-risk-country}: the payer's declared country or the IP's country ({@code of}, default both)
 * is on the rule's {@code countries} list (e.g. FATF's lists, or what a merchant's losses taught it).
 * Dimension ACCOUNT.
 */
public final class HighRiskCountryRule extends BaseRule {

    public record Parameters(List<String> countries, List<CountrySource> of) {
        public Parameters {
            countries = List.copyOf(countries);
            of = List.copyOf(of);
        }
    }

    private final Parameters parameters;

    HighRiskCountryRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
    }

    static HighRiskCountryRule create(RuleSpec spec, ParameterReader reader) {
        List<String> countries = reader.countries("countries", true);
        List<CountrySource> of = reader.enumList("of", CountrySource.class,
                List.of(CountrySource.PAYER, CountrySource.IP), ParameterReader.all(CountrySource.class));
        return reader.valid() ? new HighRiskCountryRule(spec, new Parameters(countries, of)) : null;
    }

    @Override
    public Dimension dimension() {
        return Dimension.ACCOUNT;
    }

    @Override
    Optional<String> check(RuleInput input) {
        List<String> found = new ArrayList<>();
        for (CountrySource source : parameters.of()) {
            source.of(input.request()).filter(parameters.countries()::contains)
                    .ifPresent(country -> found.add(source.label() + " " + country + " is high-risk"));
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", found));
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
