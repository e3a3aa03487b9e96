package dev.ngao.rules;

import dev.ngao.events.Money;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code velocity-sum}: too much money through one dimension value in a sliding window. The amounts of
 * the earlier requests in {@code (requestedAt - windowSeconds, requestedAt]} in the request's currency,
 * plus this one, above the currency's entry of {@code limits} match; a currency not listed is not judged.
 * Unlike a {@code limit}, attempts count whatever their outcome and nothing is reserved.
 */
public final class VelocitySumRule extends BaseRule {

    public record Parameters(Dimension dimension, long windowSeconds, Map<String, Long> limits) {
        public Parameters {
            limits = Map.copyOf(limits);
        }
    }

    private final Parameters parameters;
    private final Duration window;

    VelocitySumRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
        this.window = Duration.ofSeconds(parameters.windowSeconds());
    }

    static VelocitySumRule create(RuleSpec spec, ParameterReader reader) {
        Dimension dimension = reader.enumValue("dimension", Dimension.class, null, ParameterReader.all(Dimension.class));
        Duration window = reader.window("windowSeconds");
        Map<String, Long> limits = reader.amounts("limits", true);
        if (!reader.valid()) {
            return null;
        }
        return new VelocitySumRule(spec, new Parameters(dimension, window.toSeconds(), limits));
    }

    @Override
    public Dimension dimension() {
        return parameters.dimension();
    }

    @Override
    Optional<String> check(RuleInput input) {
        Money amount = input.request().getAmount();
        String currency = amount.getCurrency();
        Long limit = parameters.limits().get(currency);
        if (limit == null) {
            return Optional.empty();
        }
        WindowTotals totals = input.state().window(parameters.dimension(), input.dimensionValue(), window,
                input.request().getRequestedAt(), currency);
        // "amount > what is left" rather than "sum + amount > limit": no sum can overflow.
        if (amount.getAmountMinor() <= limit - totals.sumMinor()) {
            return Optional.empty();
        }
        return Optional.of("requests for " + Texts.the(parameters.dimension()) + " within " + Texts.window(window)
                + " would sum to " + Texts.money(totals.sumMinor() + amount.getAmountMinor(), currency)
                + " with this one, above the limit of " + Texts.money(limit, currency));
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
