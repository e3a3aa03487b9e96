package dev.ngao.rules;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code distinct-count}: one value of {@code dimension} seen with too many distinct values of
 * {@code counted} in a sliding window: one DNI behind more than K accounts or phone numbers, one device
 * used by more than K DNIs. The distinct values seen before, plus this request's when it is a new one,
 * above {@code max} match. Evaluated by the stage of {@code dimension}.
 */
public final class DistinctCountRule extends BaseRule {

    /**
     * The largest {@code max}: risk-streams keeps at most 64 distinct values per counted dimension and day
     * (the most recent), so a count is exact up to 64 and a rule can tell "more than max" for a max below it.
     */
    public static final int MAXIMUM = 63;

    public record Parameters(Dimension dimension, Dimension counted, long windowSeconds, int max) {
    }

    private final Parameters parameters;
    private final Duration window;

    DistinctCountRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
        this.window = Duration.ofSeconds(parameters.windowSeconds());
    }

    static DistinctCountRule create(RuleSpec spec, ParameterReader reader) {
        Dimension dimension = reader.enumValue("dimension", Dimension.class, null, ParameterReader.all(Dimension.class));
        Dimension counted = reader.enumValue("counted", Dimension.class, null, ParameterReader.all(Dimension.class));
        Duration window = reader.window("windowSeconds");
        Integer max = reader.intValue("max", null, 1, MAXIMUM);
        if (dimension != null && dimension == counted) {
            reader.refuse("counted", "must differ from dimension " + dimension);
        }
        if (!reader.valid()) {
            return null;
        }
        return new DistinctCountRule(spec, new Parameters(dimension, counted, window.toSeconds(), max));
    }

    @Override
    public Dimension dimension() {
        return parameters.dimension();
    }

    public Dimension counted() {
        return parameters.counted();
    }

    @Override
    Optional<String> check(RuleInput input) {
        StateView state = input.state();
        var end = input.request().getRequestedAt();
        int distinct = state.distinctCount(parameters.dimension(), input.dimensionValue(), parameters.counted(),
                window, end);
        Optional<String> countedValue = parameters.counted().valueOf(input.request());
        if (countedValue.isPresent() && !state.seenWith(parameters.dimension(), input.dimensionValue(),
                parameters.counted(), countedValue.get(), window, end)) {
            distinct++;
        }
        if (distinct <= parameters.max()) {
            return Optional.empty();
        }
        return Optional.of(Texts.the(parameters.dimension()) + " is seen with " + distinct + " "
                + Texts.plural(parameters.counted()) + " within " + Texts.window(window)
                + ", above the maximum of " + parameters.max());
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
