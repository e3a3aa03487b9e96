package dev.ngao.risk.rules;

import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.platform.money.Amounts;

import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Declines a request that, added to what the account already reserved on the same UTC day (of its
 * {@code requestedAt}), would go above the daily limit of its currency; reaching the limit exactly is
 * allowed. A currency without a configured daily limit is declined (fail closed).
 */
public final class DailyLimitRule implements Rule {

    public static final String ID = "daily-limit";

    private final LimitPolicy policy;

    public DailyLimitRule(LimitPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<RuleHit> evaluate(PaymentRequest request, UsageView usage) {
        Money amount = request.getAmount();
        String currency = amount.getCurrency();
        OptionalLong limit = policy.dailyLimitMinor(currency);
        if (limit.isEmpty()) {
            return Optional.of(RuleHit.decline(ID, "no daily limit is configured for currency " + currency
                    + "; requests in it are declined"));
        }
        LocalDate day = UtcDays.dayOf(request.getRequestedAt());
        long reservedMinor = usage.reservedMinor(request.getAccountId(), currency, day);
        // Compared as "amount > what is left" so that no sum can overflow; what is left may be negative
        // when a lowered limit meets usage reserved under the old one, and then everything is declined.
        long remainingMinor = limit.getAsLong() - reservedMinor;
        if (amount.getAmountMinor() <= remainingMinor) {
            return Optional.empty();
        }
        return Optional.of(RuleHit.decline(ID, "amount " + Amounts.toDecimalText(amount.getAmountMinor(), currency)
                + " " + currency + " would exceed the daily limit of "
                + Amounts.toDecimalText(limit.getAsLong(), currency) + " " + currency + ": "
                + Amounts.toDecimalText(reservedMinor, currency) + " " + currency
                + " already reserved on " + day + " (UTC)"));
    }
}
