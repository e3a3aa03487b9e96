package dev.ngao.risk.rules;

import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.platform.money.Amounts;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Declines a request whose amount is above the per-transaction limit of its currency; an amount exactly
 * at the limit is allowed. A currency without a configured limit is declined (fail closed).
 */
public final class PerTransactionLimitRule implements Rule {

    public static final String ID = "per-transaction-limit";

    private final LimitPolicy policy;

    public PerTransactionLimitRule(LimitPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<RuleHit> evaluate(PaymentRequest request, UsageView usage) {
        Money amount = request.getAmount();
        OptionalLong limit = policy.perTransactionLimitMinor(amount.getCurrency());
        if (limit.isEmpty()) {
            return Optional.of(RuleHit.decline(ID, "no per-transaction limit is configured for currency "
                    + amount.getCurrency() + "; requests in it are declined"));
        }
        if (amount.getAmountMinor() <= limit.getAsLong()) {
            return Optional.empty();
        }
        String currency = amount.getCurrency();
        return Optional.of(RuleHit.decline(ID, "amount " + Amounts.toDecimalText(amount.getAmountMinor(), currency)
                + " " + currency + " is above the per-transaction limit of "
                + Amounts.toDecimalText(limit.getAsLong(), currency) + " " + currency));
    }
}
