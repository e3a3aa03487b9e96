package dev.ngao.rules;

import dev.ngao.events.Money;

import java.util.Map;
import java.util.Optional;

/**
 * {@code new-device-large-amount}: a large first amount from a device the account never used before (the
 * seeds: "first large amount, new device"). The request carries a device hash the account has not been
 * seen with, and its amount is at or above the currency's entry of {@code minimums}; a currency not
 * listed, or a request without a device, is not judged. Dimension ACCOUNT.
 */
public final class NewDeviceLargeAmountRule extends BaseRule {

    public record Parameters(Map<String, Long> minimums) {
        public Parameters {
            minimums = Map.copyOf(minimums);
        }
    }

    private final Parameters parameters;

    NewDeviceLargeAmountRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
    }

    static NewDeviceLargeAmountRule create(RuleSpec spec, ParameterReader reader) {
        Map<String, Long> minimums = reader.amounts("minimums", true);
        return reader.valid() ? new NewDeviceLargeAmountRule(spec, new Parameters(minimums)) : null;
    }

    @Override
    public Dimension dimension() {
        return Dimension.ACCOUNT;
    }

    @Override
    Optional<String> check(RuleInput input) {
        Money amount = input.request().getAmount();
        Long minimum = parameters.minimums().get(amount.getCurrency());
        Optional<String> device = Dimension.DEVICE.valueOf(input.request());
        if (minimum == null || device.isEmpty() || amount.getAmountMinor() < minimum
                || input.state().deviceSeen(input.dimensionValue(), device.get())) {
            return Optional.empty();
        }
        return Optional.of("amount " + Texts.money(amount.getAmountMinor(), amount.getCurrency())
                + " from a device new to this account, at or above " + Texts.money(minimum, amount.getCurrency()));
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
