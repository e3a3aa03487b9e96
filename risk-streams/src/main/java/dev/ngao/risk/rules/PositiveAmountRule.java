package dev.ngao.risk.rules;

import dev.ngao.events.PaymentRequest;

import java.util.Optional;

/**
 * Declines a request whose amount is zero or negative. ingest-service already refuses such amounts; this
 * rule keeps the usage store's promise that a reservation only ever grows, whoever wrote the request.
 */
public final class PositiveAmountRule implements Rule {

    public static final String ID = "amount-positive";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<RuleHit> evaluate(PaymentRequest request, UsageView usage) {
        if (request.getAmount().getAmountMinor() > 0) {
            return Optional.empty();
        }
        return Optional.of(RuleHit.decline(ID, "amount must be greater than zero"));
    }
}
