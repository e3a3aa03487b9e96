package dev.ngao.rules;

import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code limit}: a hard limit with reservation, as Stripe Issuing's spending limits, on any dimension
 * (card, wallet, customer through ACCOUNT; MERCHANT; MSISDN...). Per transaction, the amount alone is
 * compared; for a calendar interval (DAY, WEEK from Monday, MONTH, ALL_TIME in {@code zone}) the request
 * matches when its amount is above what is left, the limit minus what approvals already reserved on the
 * period's counter, so reaching the limit exactly is allowed and concurrent requests of one key can never
 * overspend it (check and reserve run in one task). A currency absent from {@code limits} matches when
 * {@code failClosed} (the default), as the limits of the foundation did; otherwise it is not limited.
 * Refunds give money back and are never limited here: their release is the stage's job.
 *
 * <p>Parameters: {@code dimension} (default ACCOUNT), {@code interval} (PER_TRANSACTION, DAY, WEEK, MONTH,
 * ALL_TIME), {@code zone} (default UTC), {@code limits} ({@code {CUR: minor}}), {@code failClosed}.
 */
public final class LimitRule extends BaseRule {

    /** The interval of a limit: per transaction, or one of the calendar {@link Interval}s. */
    public enum LimitInterval {
        PER_TRANSACTION(null),
        DAY(Interval.DAY),
        WEEK(Interval.WEEK),
        MONTH(Interval.MONTH),
        ALL_TIME(Interval.ALL_TIME);

        private final Interval calendar;

        LimitInterval(Interval calendar) {
            this.calendar = calendar;
        }

        /** The calendar interval of the counter, empty for PER_TRANSACTION (nothing is reserved). */
        public Optional<Interval> calendar() {
            return Optional.ofNullable(calendar);
        }
    }

    public record Parameters(Dimension dimension, LimitInterval interval, String zone, Map<String, Long> limits,
                             boolean failClosed) {
        public Parameters {
            limits = Map.copyOf(limits);
        }
    }

    private final Parameters parameters;
    private final ZoneId zone;

    LimitRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
        this.zone = ZoneId.of(parameters.zone());
    }

    static LimitRule create(RuleSpec spec, ParameterReader reader) {
        Dimension dimension = reader.enumValue("dimension", Dimension.class, Dimension.ACCOUNT,
                ParameterReader.all(Dimension.class));
        LimitInterval interval = reader.enumValue("interval", LimitInterval.class, null,
                ParameterReader.all(LimitInterval.class));
        ZoneId zone = reader.zone("zone", ParameterReader.UTC);
        // {} with failClosed is a rule that refuses every currency, which a configuration may mean.
        Map<String, Long> limits = reader.amounts("limits", true, true);
        Boolean failClosed = reader.booleanValue("failClosed", true);
        if (limits != null && limits.isEmpty() && Boolean.FALSE.equals(failClosed)) {
            reader.refuse("limits", "must name at least one currency when failClosed is false");
        }
        if (!reader.valid()) {
            return null;
        }
        return new LimitRule(spec, new Parameters(dimension, interval, zone.getId(), limits, failClosed));
    }

    @Override
    public Dimension dimension() {
        return parameters.dimension();
    }

    public LimitInterval interval() {
        return parameters.interval();
    }

    @Override
    Optional<String> check(RuleInput input) {
        PaymentRequest request = input.request();
        if (request.getType() == PaymentType.REFUND) {
            return Optional.empty();
        }
        Money amount = request.getAmount();
        String currency = amount.getCurrency();
        Long limit = parameters.limits().get(currency);
        String name = name();
        if (limit == null) {
            return parameters.failClosed()
                    ? Optional.of("no " + name + " limit is configured for currency " + currency
                    + "; requests in it are declined")
                    : Optional.empty();
        }
        Optional<UsageKey> key = key(request, input.dimensionValue());
        if (key.isEmpty()) {
            return amount.getAmountMinor() <= limit ? Optional.empty()
                    : Optional.of("amount " + Texts.money(amount.getAmountMinor(), currency) + " is above the "
                    + name + " limit of " + Texts.money(limit, currency));
        }
        long reservedMinor = input.state().reservedMinor(key.get());
        // Compared as "amount > what is left" so that no sum can overflow; what is left may be negative
        // when a lowered limit meets usage reserved under the old one, and then everything matches.
        if (amount.getAmountMinor() <= limit - reservedMinor) {
            return Optional.empty();
        }
        return Optional.of("amount " + Texts.money(amount.getAmountMinor(), currency) + " would exceed the "
                + name + " limit of " + Texts.money(limit, currency) + ": " + Texts.money(reservedMinor, currency)
                + " already reserved " + period(key.get()));
    }

    @Override
    List<UsageKey> consumes(PaymentRequest request, String dimensionValue) {
        if (request.getType() == PaymentType.REFUND
                || !parameters.limits().containsKey(request.getAmount().getCurrency())) {
            return List.of();
        }
        return key(request, dimensionValue).map(List::of).orElse(List.of());
    }

    private Optional<UsageKey> key(PaymentRequest request, String dimensionValue) {
        return parameters.interval().calendar().map(calendar -> new UsageKey(parameters.dimension(), dimensionValue,
                request.getAmount().getCurrency(), calendar, zone,
                calendar.periodStart(request.getRequestedAt(), zone)));
    }

    private String name() {
        String subject = parameters.dimension() == Dimension.ACCOUNT ? ""
                : " " + Texts.the(parameters.dimension()).substring("this ".length());
        String interval = switch (parameters.interval()) {
            case PER_TRANSACTION -> "per-transaction";
            case DAY -> "daily";
            case WEEK -> "weekly";
            case MONTH -> "monthly";
            case ALL_TIME -> "all-time";
        };
        return interval + subject;
    }

    /** "on 2026-11-22 (UTC)", "in the week from 2026-11-16 (America/Lima)", "in all" for reasons. */
    static String period(UsageKey key) {
        LocalDate start = key.periodStart();
        String zone = " (" + key.zone().getId() + ")";
        return switch (key.interval()) {
            case DAY -> "on " + start + zone;
            case WEEK -> "in the week from " + start + zone;
            case MONTH -> "in the month from " + start + zone;
            case ALL_TIME -> "in all";
        };
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
