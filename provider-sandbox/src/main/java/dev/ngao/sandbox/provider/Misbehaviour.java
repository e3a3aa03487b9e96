package dev.ngao.sandbox.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated providers misbehave in one run, each as a percentage of the chances it has, drawn from
 * a random source seeded by {@link #seed}: the same seed and the same payments give the same misbehaviour,
 * so tests assert exact outcomes, and every misbehaviour is also recorded as it is injected.
 *
 * <p>Webhooks (each genuine webhook is one chance):
 * <ul>
 *   <li>{@code duplicate}: delivered twice, same event id and body;</li>
 *   <li>{@code reorder}: a payment's final webhook is sent before its pending one (per payment);</li>
 *   <li>{@code delay}: held back by {@link #webhookDelay};</li>
 *   <li>{@code drop}: never sent (the payment's state must come from a status query or the report);</li>
 *   <li>{@code forge}: a tampered copy (status flipped, amount changed) is sent as well, signed with a wrong
 *       secret, as an attacker would;</li>
 *   <li>{@code stale}: a replay is sent as well, signed with a timestamp {@link #staleBy} in the past.</li>
 * </ul>
 * Forged and stale calls come in addition to the genuine one: they are attacks, not lost webhooks.
 *
 * <p>{@code pendingUntilQueried} (per payment): no final webhook; the payment stays PENDING until a status
 * query reaches it, which settles it.
 *
 * <p>Settlement report rows (each settled payment is one chance, in order of transaction id):
 * {@code missing} left out, {@code duplicated} written twice, {@code amount} one minor unit more,
 * {@code currency} another currency of the same minor digits, {@code status} another status; and
 * {@code extra}: after each row, a chance of a row for a payment that never existed.
 */
public record Misbehaviour(long seed,
                           int duplicatePercent, int reorderPercent, int delayPercent, int dropPercent,
                           int forgePercent, int stalePercent, Duration webhookDelay, Duration staleBy,
                           int pendingUntilQueriedPercent,
                           int reportMissingPercent, int reportExtraPercent, int reportDuplicatedPercent,
                           int reportAmountPercent, int reportCurrencyPercent, int reportStatusPercent) {

    public Misbehaviour {
        for (int percent : new int[]{duplicatePercent, reorderPercent, delayPercent, dropPercent, forgePercent,
                stalePercent, pendingUntilQueriedPercent, reportMissingPercent, reportExtraPercent,
                reportDuplicatedPercent, reportAmountPercent, reportCurrencyPercent, reportStatusPercent}) {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("misbehaviour percentages are between 0 and 100");
            }
        }
        Objects.requireNonNull(webhookDelay, "webhookDelay");
        Objects.requireNonNull(staleBy, "staleBy");
        if (webhookDelay.isNegative() || staleBy.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /** Well-behaved providers. */
    public static Misbehaviour none(long seed) {
        return new Misbehaviour(seed, 0, 0, 0, 0, 0, 0, Duration.ofSeconds(2), Duration.ofHours(2), 0,
                0, 0, 0, 0, 0, 0);
    }

    public Misbehaviour withWebhooks(int duplicate, int reorder, int delay, int drop, int forge, int stale) {
        return new Misbehaviour(seed, duplicate, reorder, delay, drop, forge, stale, webhookDelay, staleBy,
                pendingUntilQueriedPercent, reportMissingPercent, reportExtraPercent, reportDuplicatedPercent,
                reportAmountPercent, reportCurrencyPercent, reportStatusPercent);
    }

    public Misbehaviour withWebhookDelay(Duration delay) {
        return new Misbehaviour(seed, duplicatePercent, reorderPercent, delayPercent, dropPercent, forgePercent,
                stalePercent, delay, staleBy, pendingUntilQueriedPercent, reportMissingPercent, reportExtraPercent,
                reportDuplicatedPercent, reportAmountPercent, reportCurrencyPercent, reportStatusPercent);
    }

    public Misbehaviour withPendingUntilQueried(int percent) {
        return new Misbehaviour(seed, duplicatePercent, reorderPercent, delayPercent, dropPercent, forgePercent,
                stalePercent, webhookDelay, staleBy, percent, reportMissingPercent, reportExtraPercent,
                reportDuplicatedPercent, reportAmountPercent, reportCurrencyPercent, reportStatusPercent);
    }

    public Misbehaviour withReport(int missing, int extra, int duplicated, int amount, int currency, int status) {
        return new Misbehaviour(seed, duplicatePercent, reorderPercent, delayPercent, dropPercent, forgePercent,
                stalePercent, webhookDelay, staleBy, pendingUntilQueriedPercent, missing, extra, duplicated, amount,
                currency, status);
    }
}
