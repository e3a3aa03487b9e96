package dev.ngao.rules;

import dev.ngao.events.AccountKind;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code card-state}: a card request (account kind CARD, refunds aside) matches when the card is unknown to
 * Ngao, frozen, expired at the request's instant, or its holder's KYC is not complete; which of these are
 * checked is the {@code checks} parameter (default all). The card is {@code request.card.cardId}, else
 * the account id. Dimension ACCOUNT.
 */
public final class CardStateRule extends BaseRule {

    public enum Check {
        UNKNOWN_CARD,
        FROZEN,
        EXPIRED,
        KYC_INCOMPLETE
    }

    public record Parameters(List<Check> checks) {
        public Parameters {
            checks = List.copyOf(checks);
        }
    }

    private final Parameters parameters;

    CardStateRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
    }

    static CardStateRule create(RuleSpec spec, ParameterReader reader) {
        List<Check> checks = reader.enumList("checks", Check.class, List.of(Check.values()),
                ParameterReader.all(Check.class));
        return reader.valid() ? new CardStateRule(spec, new Parameters(checks)) : null;
    }

    @Override
    public Dimension dimension() {
        return Dimension.ACCOUNT;
    }

    /** The card a request spends on: its card details' id, else its account id. */
    static String cardIdOf(PaymentRequest request) {
        return request.getCard() != null ? request.getCard().getCardId() : request.getAccountId();
    }

    @Override
    Optional<String> check(RuleInput input) {
        PaymentRequest request = input.request();
        if (request.getAccountKind() != AccountKind.CARD || request.getType() == PaymentType.REFUND) {
            return Optional.empty();
        }
        Optional<CardState> card = input.state().card(cardIdOf(request));
        if (card.isEmpty()) {
            return parameters.checks().contains(Check.UNKNOWN_CARD)
                    ? Optional.of("card is not known to Ngao") : Optional.empty();
        }
        CardState state = card.get();
        List<String> problems = new ArrayList<>();
        if (parameters.checks().contains(Check.FROZEN) && state.frozen()) {
            problems.add("card is frozen");
        }
        if (parameters.checks().contains(Check.EXPIRED) && state.expiresAt() != null
                && !request.getRequestedAt().isBefore(state.expiresAt())) {
            problems.add("card expired on " + LocalDate.ofInstant(state.expiresAt(), ZoneOffset.UTC) + " (UTC)");
        }
        if (parameters.checks().contains(Check.KYC_INCOMPLETE) && !state.kycComplete()) {
            problems.add("cardholder KYC is not complete");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
