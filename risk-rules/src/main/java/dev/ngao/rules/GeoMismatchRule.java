package dev.ngao.rules;

import java.util.Optional;

/**
 * {@code geo-mismatch}: the country the merchant located the payer's IP in differs from the payer's or
 * wallet's declared country. A request that lacks either is not judged. No parameters; dimension ACCOUNT.
 */
public final class GeoMismatchRule extends BaseRule {

    /** No parameters. */
    public record Parameters() {
    }

    GeoMismatchRule(RuleSpec spec) {
        super(spec);
    }

    static GeoMismatchRule create(RuleSpec spec, ParameterReader reader) {
        return reader.valid() ? new GeoMismatchRule(spec) : null;
    }

    @Override
    public Dimension dimension() {
        return Dimension.ACCOUNT;
    }

    @Override
    Optional<String> check(RuleInput input) {
        Optional<String> ip = CountrySource.IP.of(input.request());
        Optional<String> declared = CountrySource.PAYER.of(input.request());
        if (ip.isEmpty() || declared.isEmpty() || ip.get().equals(declared.get())) {
            return Optional.empty();
        }
        return Optional.of("IP country " + ip.get() + " differs from the declared country " + declared.get());
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }
}
