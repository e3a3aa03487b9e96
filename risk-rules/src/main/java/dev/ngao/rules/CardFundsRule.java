package dev.ngao.rules;

import dev.ngao.events.AccountKind;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;

import java.util.Optional;

/**
 * {@code card-funds}: every card Ngao issues is prepaid, so a card authorization (account kind CARD) matches
 * when its amount is above the card's available funds in its currency: approved loads and refunds to the card,
 * less what approved authorizations hold or spent ({@link StateView#cardFundsMinor}). Spending exactly what is
 * there is allowed. The stage holds the amount on the card's funds when it approves, in the same
 * read-check-write as the other counters, so two authorizations racing for one card's funds can never both
 * spend them. The card is the account (a card's account id is its card id). Loads, refunds and every other
 * type are never judged. No parameters; dimension ACCOUNT. An allow would approve money the card does not have,
 * so the action cannot be ALLOW.
 */
public final class CardFundsRule extends BaseRule {

    /** No parameters. */
    public record Parameters() {
    }

    CardFundsRule(RuleSpec spec) {
        super(spec);
    }

    static CardFundsRule create(RuleSpec spec, ParameterReader reader) {
        return reader.valid() ? new CardFundsRule(spec) : null;
    }

    @Override
    public Dimension dimension() {
        return Dimension.ACCOUNT;
    }

    @Override
    Optional<String> check(RuleInput input) {
        PaymentRequest request = input.request();
        if (request.getAccountKind() != AccountKind.CARD || request.getType() != PaymentType.CARD_AUTHORIZATION) {
            return Optional.empty();
        }
        long amountMinor = request.getAmount().getAmountMinor();
        String currency = request.getAmount().getCurrency();
        long availableMinor = input.state().cardFundsMinor(input.dimensionValue(), currency);
        if (amountMinor <= availableMinor) {
            return Optional.empty();
        }
        return Optional.of("amount " + Texts.money(amountMinor, currency) + " is above the card's available funds of "
                + Texts.money(availableMinor, currency));
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }
}
