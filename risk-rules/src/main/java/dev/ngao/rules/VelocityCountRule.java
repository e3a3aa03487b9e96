package dev.ngao.rules;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code velocity-count}: too many requests of one dimension value in a sliding window, e.g. more than 5
 * card attempts a minute, or more than N payments from one IP a day. The earlier requests in
 * {@code (requestedAt - windowSeconds, requestedAt]} whatever their outcome, plus this one, above
 * {@code max} match; reaching {@code max} exactly does not.
 */
public final class VelocityCountRule extends BaseRule {

    public record Parameters(Dimension dimension, long windowSeconds, long max) {
    }

    private final Parameters parameters;
    private final Duration window;

    VelocityCountRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
        this.window = Duration.ofSeconds(parameters.windowSeconds());
    }

    static VelocityCountRule create(RuleSpec spec, ParameterReader reader) {
        Dimension dimension = reader.enumValue("dimension", Dimension.class, null, ParameterReader.all(Dimension.class));
        Duration window = reader.window("windowSeconds");
        Long max = reader.longValue("max", null, 1, Long.MAX_VALUE - 1);
        if (!reader.valid()) {
            return null;
        }
        return new VelocityCountRule(spec, new Parameters(dimension, window.toSeconds(), max));
    }

    @Override
    public Dimension dimension() {
        return parameters.dimension();
    }

    @Override
    Optional<String> check(RuleInput input) {
        WindowTotals totals = input.state().window(parameters.dimension(), input.dimensionValue(), window,
                input.request().getRequestedAt(), input.request().getAmount().getCurrency());
        long count = totals.count() + 1;
        if (count <= parameters.max()) {
            return Optional.empty();
        }
        return Optional.of(count + " requests for " + Texts.the(parameters.dimension()) + " within "
                + Texts.window(window) + ", above the maximum of " + parameters.max());
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
