package dev.ngao.rules;

import dev.ngao.events.Money;
import dev.ngao.events.RiskSignals;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * {@code off-hours}: a large amount at a local time of day the payer does not usually pay at (the seeds:
 * night-time PagoEfectivo payments in America/Lima). The local time is the request's instant in
 * {@code zone} when the rule names one, else in the payer's {@code signals.timeZone}, else in UTC. It is
 * off hours from {@code from} (included) to {@code to} (excluded); {@code from} after {@code to} spans
 * midnight (22:00 to 06:00). With {@code minimums}, only amounts at or above the currency's entry match
 * (a currency not listed is not judged); without, every amount does. Dimension ACCOUNT.
 */
public final class OffHoursRule extends BaseRule {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    /** {@code zone} and {@code minimums} are null when not given. */
    public record Parameters(String zone, String from, String to, Map<String, Long> minimums) {
        public Parameters {
            minimums = minimums == null ? null : Map.copyOf(minimums);
        }
    }

    private final Parameters parameters;
    private final ZoneId zone;
    private final LocalTime from;
    private final LocalTime to;

    OffHoursRule(RuleSpec spec, Parameters parameters) {
        super(spec);
        this.parameters = parameters;
        this.zone = parameters.zone() == null ? null : ZoneId.of(parameters.zone());
        this.from = LocalTime.parse(parameters.from(), TIME);
        this.to = LocalTime.parse(parameters.to(), TIME);
    }

    static OffHoursRule create(RuleSpec spec, ParameterReader reader) {
        ZoneId zone = reader.zone("zone", null);
        LocalTime from = reader.time("from");
        LocalTime to = reader.time("to");
        Map<String, Long> minimums = reader.amounts("minimums", false);
        if (from != null && from.equals(to)) {
            reader.refuse("to", "must differ from from (" + TIME.format(from) + ")");
        }
        if (!reader.valid()) {
            return null;
        }
        return new OffHoursRule(spec, new Parameters(zone == null ? null : zone.getId(), TIME.format(from),
                TIME.format(to), minimums));
    }

    @Override
    public Dimension dimension() {
        return Dimension.ACCOUNT;
    }

    @Override
    Optional<String> check(RuleInput input) {
        Money amount = input.request().getAmount();
        Long minimum = parameters.minimums() == null ? Long.valueOf(0) : parameters.minimums().get(amount.getCurrency());
        if (minimum == null || amount.getAmountMinor() < minimum) {
            return Optional.empty();
        }
        ZoneId local = zoneOf(input.request().getSignals());
        LocalTime time = LocalTime.ofInstant(input.request().getRequestedAt(), local);
        if (!offHours(time)) {
            return Optional.empty();
        }
        String large = parameters.minimums() == null ? ""
                : ", at or above " + Texts.money(minimum, amount.getCurrency());
        return Optional.of("amount " + Texts.money(amount.getAmountMinor(), amount.getCurrency()) + " at "
                + TIME.format(time) + " " + local.getId() + ", off hours from " + parameters.from() + " to "
                + parameters.to() + large);
    }

    boolean offHours(LocalTime time) {
        if (from.isBefore(to)) {
            return !time.isBefore(from) && time.isBefore(to);
        }
        return !time.isBefore(from) || time.isBefore(to);
    }

    /** The rule's zone, else the payer's when it is a valid zone id, else UTC. */
    private ZoneId zoneOf(RiskSignals signals) {
        if (zone != null) {
            return zone;
        }
        if (signals != null && signals.getTimeZone() != null) {
            try {
                return ZoneId.of(signals.getTimeZone());
            } catch (DateTimeException e) {
                // The merchant's signal is not a zone id: judge the request in UTC rather than not at all.
                return ParameterReader.UTC;
            }
        }
        return ParameterReader.UTC;
    }

    @Override
    public Parameters parameters() {
        return parameters;
    }
}
