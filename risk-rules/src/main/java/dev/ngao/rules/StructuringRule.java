package dev.ngao.rules;

import dev.ngao.events.Money;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code structuring}: a chain of small amounts that adds up to a large one, the way a payment is split to stay
 * under a reporting or review threshold. A request of {@code dimension}'s value matches when its own amount is
 * below the currency's {@code below}, at least {@code minimumCount} requests (this one included) fell in the
 * sliding window {@code (requestedAt - windowSeconds, requestedAt]}, and their amounts in that currency, this
 * one included, are above the currency's {@code total}. A currency missing from either map is not judged.
 *
 * <p>The window's count and sum are those of every request in it, small or not (the state keeps counted and
 * summed buckets, not a histogram of amounts): a large request in the chain makes the total come sooner, and
 * the large request itself is for the {@code limit} and {@code velocity-sum} rules to judge.
 */
public final class StructuringRule extends BaseRule {

    public record Parameters(Dimension dimension, long windowSeconds, Map<String, Long> below, long minimumCount,
                             Map<String, Long> total) {
        public Parameters {
            below = Map.copyOf(below);
            total = Map.copyOf(total);
        }
    }

    private final Parameters parameters;
    private final Duration window;

    StructuringRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
        this.window = Duration.ofSeconds(parameters.windowSeconds());
    }

    static StructuringRule create(RuleSpec spec, ParameterReader reader) {
        Dimension dimension = reader.enumValue("dimension", Dimension.class, null, ParameterReader.all(Dimension.class));
        Duration window = reader.window("windowSeconds");
        Map<String, Long> below = reader.amounts("below", true);
        Long minimumCount = reader.longValue("minimumCount", null, 2, 1_000_000);
        Map<String, Long> total = reader.amounts("total", true);
        if (!reader.valid()) {
            return null;
        }
        for (Map.Entry<String, Long> small : below.entrySet()) {
            Long whole = total.get(small.getKey());
            if (whole != null && whole < small.getValue()) {
                reader.refuse("total", "the total of " + small.getKey() + " must be at least its 'below' amount");
            }
        }
        if (!reader.valid()) {
            return null;
        }
        return new StructuringRule(spec, new Parameters(dimension, window.toSeconds(), below, minimumCount, total));
    }

    @Override
    public Dimension dimension() {
        return parameters.dimension();
    }

    @Override
    Optional<String> check(RuleInput input) {
        Money amount = input.request().getAmount();
        String currency = amount.getCurrency();
        Long below = parameters.below().get(currency);
        Long total = parameters.total().get(currency);
        if (below == null || total == null || amount.getAmountMinor() >= below) {
            return Optional.empty();
        }
        WindowTotals totals = input.state().window(parameters.dimension(), input.dimensionValue(), window,
                input.request().getRequestedAt(), currency);
        long count = totals.count() + 1;
        // "amount > what is left" rather than "sum + amount > total": no sum can overflow.
        if (count < parameters.minimumCount() || amount.getAmountMinor() <= total - totals.sumMinor()) {
            return Optional.empty();
        }
        return Optional.of(count + " requests for " + Texts.the(parameters.dimension()) + " within "
                + Texts.window(window) + ", this one below " + Texts.money(below, currency) + ", sum to "
                + Texts.money(totals.sumMinor() + amount.getAmountMinor(), currency) + ", above "
                + Texts.money(total, currency) + ": a large payment split into small ones");
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
