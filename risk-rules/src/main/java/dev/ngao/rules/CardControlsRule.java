package dev.ngao.rules;

import dev.ngao.events.AccountKind;
import dev.ngao.events.CardDetails;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.SpendingControls;
import dev.ngao.events.SpendingLimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code card-controls}: the card's own spending controls, as Stripe Issuing has them, for card
 * authorizations. A PER_AUTHORIZATION limit compares the amount; DAILY, WEEKLY, MONTHLY and ALL_TIME
 * limits compare the amount with what is left after the card's reservations on the UTC counters of the
 * ACCOUNT dimension (the same counters a {@code limit} rule with a UTC calendar interval uses). Allowed
 * and blocked merchant categories and countries are matched against the authorization's card details.
 * An authorization in another currency than the card's matches: its limits cannot be compared.
 *
 * <p>Every card authorization reserves on the four UTC counters, whether the card has limits now or not,
 * so that a limit set later applies to what was already spent in its period (Stripe does the same). No
 * parameters; dimension ACCOUNT.
 */
public final class CardControlsRule extends BaseRule {

    /** No parameters: the controls are the card's. */
    public record Parameters() {
    }

    private static final List<Interval> COUNTED = List.of(Interval.DAY, Interval.WEEK, Interval.MONTH,
            Interval.ALL_TIME);

    CardControlsRule(RuleSpec spec) {
        super(spec);
    }

    static CardControlsRule create(RuleSpec spec, ParameterReader reader) {
        return reader.valid() ? new CardControlsRule(spec) : null;
    }

    @Override
    public Dimension dimension() {
        return Dimension.ACCOUNT;
    }

    private static boolean spends(PaymentRequest request) {
        return request.getAccountKind() == AccountKind.CARD && request.getType() == PaymentType.CARD_AUTHORIZATION;
    }

    @Override
    Optional<String> check(RuleInput input) {
        PaymentRequest request = input.request();
        if (!spends(request)) {
            return Optional.empty();
        }
        Optional<CardState> card = input.state().card(CardStateRule.cardIdOf(request));
        if (card.isEmpty() || card.get().controls() == null) {
            return Optional.empty();
        }
        SpendingControls controls = card.get().controls();
        List<String> problems = new ArrayList<>();
        limits(input, card.get(), controls, problems);
        CardDetails details = request.getCard();
        if (details != null) {
            listed("merchant category", details.getMerchantCategoryCode(), controls.getAllowedCategories(),
                    controls.getBlockedCategories(), problems);
            listed("merchant country", details.getMerchantCountry(), controls.getAllowedCountries(),
                    controls.getBlockedCountries(), problems);
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private static void limits(RuleInput input, CardState card, SpendingControls controls, List<String> problems) {
        if (controls.getLimits().isEmpty()) {
            return;
        }
        PaymentRequest request = input.request();
        String currency = request.getAmount().getCurrency();
        long amountMinor = request.getAmount().getAmountMinor();
        if (!currency.equals(card.currency())) {
            problems.add("amount currency " + currency + " is not the card currency " + card.currency());
            return;
        }
        for (SpendingLimit limit : controls.getLimits()) {
            Optional<Interval> interval = intervalOf(limit);
            String name = nameOf(limit);
            if (name == null) {
                continue;
            }
            if (interval.isEmpty()) {
                if (amountMinor > limit.getAmountMinor()) {
                    problems.add("amount " + Texts.money(amountMinor, currency) + " is above the card's " + name
                            + " limit of " + Texts.money(limit.getAmountMinor(), currency));
                }
                continue;
            }
            UsageKey key = key(request, input.dimensionValue(), interval.get());
            long reservedMinor = input.state().reservedMinor(key);
            if (amountMinor > limit.getAmountMinor() - reservedMinor) {
                problems.add("amount " + Texts.money(amountMinor, currency) + " would exceed the card's " + name
                        + " limit of " + Texts.money(limit.getAmountMinor(), currency) + ": "
                        + Texts.money(reservedMinor, currency) + " already reserved " + LimitRule.period(key));
            }
        }
    }

    private static void listed(String what, String value, List<String> allowed, List<String> blocked,
                               List<String> problems) {
        if (value == null || value.isBlank()) {
            if (!allowed.isEmpty()) {
                problems.add(what + " is unknown and the card allows only listed ones");
            }
            return;
        }
        if (!allowed.isEmpty() && !allowed.contains(value)) {
            problems.add(what + " " + value + " is not allowed for this card");
        }
        if (blocked.contains(value)) {
            problems.add(what + " " + value + " is blocked for this card");
        }
    }

    /** The calendar interval of a card limit; empty for PER_AUTHORIZATION. */
    private static Optional<Interval> intervalOf(SpendingLimit limit) {
        return Optional.ofNullable(switch (limit.getInterval()) {
            case DAILY -> Interval.DAY;
            case WEEKLY -> Interval.WEEK;
            case MONTHLY -> Interval.MONTH;
            case ALL_TIME -> Interval.ALL_TIME;
            case PER_AUTHORIZATION, UNKNOWN -> null;
        });
    }

    /** A limit's name in reasons; null for an interval this version does not know, which is skipped. */
    private static String nameOf(SpendingLimit limit) {
        return switch (limit.getInterval()) {
            case PER_AUTHORIZATION -> "per-authorization";
            case DAILY -> "daily";
            case WEEKLY -> "weekly";
            case MONTHLY -> "monthly";
            case ALL_TIME -> "all-time";
            case UNKNOWN -> null;
        };
    }

    private static UsageKey key(PaymentRequest request, String accountId, Interval interval) {
        return new UsageKey(Dimension.ACCOUNT, accountId, request.getAmount().getCurrency(), interval,
                ParameterReader.UTC, interval.periodStart(request.getRequestedAt(), ParameterReader.UTC));
    }

    @Override
    List<UsageKey> consumes(PaymentRequest request, String dimensionValue) {
        if (!spends(request)) {
            return List.of();
        }
        return COUNTED.stream().map(interval -> key(request, dimensionValue, interval)).toList();
    }

    @Override
    public Parameters parameters() {
        return new Parameters();
    }
}
