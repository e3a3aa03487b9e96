package dev.ngao.rules;

import dev.ngao.events.Money;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * {@code amount-anomaly}: an amount (or, with {@code measure} DAY_SUM, the day's approved spend plus this
 * amount) above {@code multiplePercent} percent of the account's trailing daily average (the seeds: a day
 * above 200 % of the historical mean goes to manual review). The history is the approved spend of the
 * {@code days} UTC days before the request's day, in its currency; the average divides it by the days
 * from the first day with spend in that range to yesterday, so a young account is not compared with days
 * before it existed. With fewer than {@code minimumHistoryDays} days of spend there is no history to
 * compare with and the rule says nothing. Dimension ACCOUNT.
 */
public final class AmountAnomalyRule extends BaseRule {

    public enum Measure {
        /** The request's own amount. */
        AMOUNT,
        /** The running sum of the request's UTC day: approved spend so far plus this amount. */
        DAY_SUM
    }

    public record Parameters(int days, int multiplePercent, int minimumHistoryDays, Measure measure) {
    }

    private static final BigInteger HUNDRED = BigInteger.valueOf(100);

    private final Parameters parameters;

    AmountAnomalyRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
    }

    static AmountAnomalyRule create(RuleSpec spec, ParameterReader reader) {
        Integer days = reader.intValue("days", 30, 1, RuleTypes.MAXIMUM_HISTORY_DAYS);
        Integer multiplePercent = reader.intValue("multiplePercent", 200, 100, 100_000);
        Integer minimumHistoryDays = reader.intValue("minimumHistoryDays", 3, 1, RuleTypes.MAXIMUM_HISTORY_DAYS);
        Measure measure = reader.enumValue("measure", Measure.class, Measure.AMOUNT, ParameterReader.all(Measure.class));
        if (days != null && minimumHistoryDays != null && minimumHistoryDays > days) {
            reader.refuse("minimumHistoryDays", "must be at most days (" + days + "), got " + minimumHistoryDays);
        }
        if (!reader.valid()) {
            return null;
        }
        return new AmountAnomalyRule(spec, new Parameters(days, multiplePercent, minimumHistoryDays, measure));
    }

    @Override
    public Dimension dimension() {
        return Dimension.ACCOUNT;
    }

    @Override
    Optional<String> check(RuleInput input) {
        Money amount = input.request().getAmount();
        String currency = amount.getCurrency();
        String account = input.dimensionValue();
        LocalDate today = LocalDate.ofInstant(input.request().getRequestedAt(), ZoneOffset.UTC);
        BigInteger total = BigInteger.ZERO;
        int daysWithSpend = 0;
        int span = 0;
        // The days before today and today, oldest first, in one read of just that range.
        long[] history = input.state().approvedOnDaysMinor(account, currency, today, parameters.days() + 1);
        for (int back = 1; back <= parameters.days(); back++) {
            long spent = history[parameters.days() - back];
            if (spent > 0) {
                total = total.add(BigInteger.valueOf(spent));
                daysWithSpend++;
                span = back;
            }
        }
        if (daysWithSpend < parameters.minimumHistoryDays()) {
            return Optional.empty();
        }
        BigInteger measured = BigInteger.valueOf(amount.getAmountMinor());
        if (parameters.measure() == Measure.DAY_SUM) {
            measured = measured.add(BigInteger.valueOf(history[parameters.days()]));
        }
        // measured / (total / span) > multiplePercent / 100, in integers: measured * span * 100 > total * percent.
        BigInteger left = measured.multiply(BigInteger.valueOf(span)).multiply(HUNDRED);
        BigInteger right = total.multiply(BigInteger.valueOf(parameters.multiplePercent()));
        if (left.compareTo(right) <= 0) {
            return Optional.empty();
        }
        long averageMinor = total.divide(BigInteger.valueOf(span)).longValue();
        long percent = left.divide(total).longValue();
        String what = parameters.measure() == Measure.DAY_SUM
                ? "today's sum of " + Texts.money(measured.longValue(), currency) + " with this request"
                : "amount " + Texts.money(amount.getAmountMinor(), currency);
        return Optional.of(what + " is " + percent + "% of the daily average of " + Texts.money(averageMinor, currency)
                + " over the last " + Texts.plural(span, "day") + ", above " + parameters.multiplePercent() + "%");
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
