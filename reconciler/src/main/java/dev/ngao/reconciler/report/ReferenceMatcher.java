package dev.ngao.reconciler.report;

import dev.ngao.events.BreakKind;
import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;
import dev.ngao.reconciler.view.ViewPayment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides, for one provider reference of one settlement day, how the report and the ledger view disagree.
 * A pure function of the two sides: the run streams both in reference order and calls it once per reference.
 * Details carry references, line numbers, statuses and amounts in minor units, never personal data.
 */
final class ReferenceMatcher {

    private final RunId run;
    private final long toleranceMinor;

    /**
     * @param toleranceMinor the largest difference, in minor units, still taken as agreement (0: exact)
     */
    ReferenceMatcher(RunId run, long toleranceMinor) {
        if (toleranceMinor < 0) {
            throw new IllegalArgumentException("tolerance must not be negative");
        }
        this.run = run;
        this.toleranceMinor = toleranceMinor;
    }

    /**
     * @param payment        the ledger view's payment for the reference, or null when the ledger has none that day
     * @param group          the report's rows for the reference, or null when the report has none
     * @param reportHasFees  whether the report carries fee rows at all (a format without fee rows is not a
     *                       report of missing fees)
     */
    List<FoundBreak> match(String reference, ViewPayment payment, ReferenceGroup group, boolean reportHasFees) {
        return match(reference, payment, group, reportHasFees, null);
    }

    /**
     * @param ledgerDayElsewhere when the ledger has no payment of this reference on the run's day but has one on
     *                           another, that day (said in the break's detail), else null
     */
    List<FoundBreak> match(String reference, ViewPayment payment, ReferenceGroup group, boolean reportHasFees,
                           java.time.LocalDate ledgerDayElsewhere) {
        String elsewhere = ledgerDayElsewhere == null ? ""
                : " (the ledger has this reference on " + ledgerDayElsewhere + ")";
        List<FoundBreak> breaks = new ArrayList<>();
        if (group == null || group.paymentRows() == 0) {
            if (payment != null && payment.effectiveStatus() == ProviderStatus.SUCCEEDED) {
                breaks.add(found(BreakKind.MISSING_AT_PROVIDER, false, reference, payment, group,
                        payment.expectedAmount(), null, "the ledger has " + text(payment.expectedAmount())
                                + " as SUCCEEDED at the provider on " + run.day()
                                + " but the report has no payment row"));
            }
        } else if (payment == null) {
            ReferenceGroup.Row row = group.firstPayment();
            breaks.add(found(BreakKind.MISSING_IN_LEDGER, false, reference, null, group, null, row.amount(),
                    "the report has " + text(row.amount()) + " " + row.status() + " (" + group.paymentLinesText()
                            + ") but the ledger has no payment with this reference on " + run.day() + elsewhere));
        } else {
            matchPayment(breaks, reference, payment, group);
        }
        if (group != null && group.paymentRows() == 0 && payment == null) {
            breaks.add(found(BreakKind.MISSING_IN_LEDGER, true, reference, null, group, null, firstFee(group),
                    "the report has fee rows (" + group.feeLinesText() + ") but neither a payment row nor a ledger "
                            + "payment with this reference on " + run.day() + elsewhere));
        }
        if (payment != null && group != null) {
            matchFees(breaks, reference, payment, group, reportHasFees);
        }
        return breaks;
    }

    private void matchPayment(List<FoundBreak> breaks, String reference, ViewPayment payment, ReferenceGroup group) {
        ReferenceGroup.Row row = group.firstPayment();
        if (group.paymentRows() > 1) {
            breaks.add(found(BreakKind.DUPLICATE, false, reference, payment, group, payment.expectedAmount(),
                    row.amount(), "the report has " + group.paymentRows() + " payment rows for this reference ("
                            + group.paymentLinesText() + "); the ledger has one payment"));
        }
        Money expected = payment.expectedAmount();
        if (expected != null && !expected.getCurrency().equals(row.currency())) {
            breaks.add(found(BreakKind.CURRENCY_MISMATCH, false, reference, payment, group, expected, row.amount(),
                    "the ledger has " + text(expected) + " but the report (" + group.paymentLinesText() + ") has "
                            + text(row.amount())));
        } else if (expected != null && outsideTolerance(expected.getAmountMinor(), row.amountMinor())) {
            breaks.add(found(BreakKind.AMOUNT_MISMATCH, false, reference, payment, group, expected, row.amount(),
                    "the ledger has " + text(expected) + " but the report (" + group.paymentLinesText() + ") has "
                            + text(row.amount()) + toleranceText()));
        }
        if (row.status() != payment.effectiveStatus()) {
            breaks.add(found(BreakKind.STATUS_MISMATCH, false, reference, payment, group, expected, row.amount(),
                    "the ledger view has the payment " + payment.effectiveStatus() + " but the report ("
                            + group.paymentLinesText() + ") has it " + row.status()));
        }
    }

    /** One payment, many fee rows: the fee rows of a reference add up to the fee the provider told us. */
    private void matchFees(List<FoundBreak> breaks, String reference, ViewPayment payment, ReferenceGroup group,
                           boolean reportHasFees) {
        Map<String, Long> reported = group == null ? Map.of() : group.feesMinorByCurrency();
        Money fee = payment.fee();
        boolean ledgerHasFee = fee != null && fee.getAmountMinor() != 0;
        if (reported.isEmpty()) {
            if (ledgerHasFee && reportHasFees && payment.effectiveStatus() == ProviderStatus.SUCCEEDED) {
                breaks.add(found(BreakKind.AMOUNT_MISMATCH, true, reference, payment, group, fee, zero(fee),
                        "the provider charged a fee of " + text(fee) + " but the report has no fee row for it"));
            }
            return;
        }
        String feeLines = group.feeLinesText();
        if (reported.size() > 1 || (fee != null && !reported.containsKey(fee.getCurrency()))) {
            Money actual = firstFee(group);
            breaks.add(found(BreakKind.CURRENCY_MISMATCH, true, reference, payment, group, fee, actual,
                    "the provider's fee is " + (fee == null ? "unknown" : text(fee)) + " but the report's fee rows ("
                            + feeLines + ") are in " + String.join(", ", reported.keySet())));
            return;
        }
        Map.Entry<String, Long> only = reported.entrySet().iterator().next();
        long expectedMinor = fee == null ? 0 : fee.getAmountMinor();
        if (outsideTolerance(expectedMinor, only.getValue())) {
            Money actual = money(only.getValue(), only.getKey());
            Money expected = fee == null ? money(0, only.getKey()) : fee;
            breaks.add(found(BreakKind.AMOUNT_MISMATCH, true, reference, payment, group, expected, actual,
                    "the provider's fee is " + text(expected) + " but the report's " + group.feeRows()
                            + " fee row(s) (" + feeLines + ") add up to " + text(actual) + toleranceText()));
        }
    }

    private boolean outsideTolerance(long expectedMinor, long actualMinor) {
        return Math.abs(Math.subtractExact(expectedMinor, actualMinor)) > toleranceMinor;
    }

    private String toleranceText() {
        return toleranceMinor == 0 ? "" : " (tolerance " + toleranceMinor + " minor units)";
    }

    private FoundBreak found(BreakKind kind, boolean fee, String reference, ViewPayment payment, ReferenceGroup group,
                             Money expected, Money actual, String detail) {
        String breakId = kind.name() + (fee ? ":fee:" : ":") + run.provider() + ":" + run.day() + ":" + reference;
        String transactionId = payment != null ? payment.transactionId()
                : group != null && group.transactionId() != null ? group.transactionId() : reference;
        return new FoundBreak(breakId, kind, transactionId, reference, expected, actual, detail);
    }

    private static Money firstFee(ReferenceGroup group) {
        Map.Entry<String, Long> first = group.feesMinorByCurrency().entrySet().iterator().next();
        return money(first.getValue(), first.getKey());
    }

    private static Money zero(Money like) {
        return money(0, like.getCurrency());
    }

    static Money money(long amountMinor, String currency) {
        return new Money(amountMinor, currency);
    }

    static String text(Money money) {
        return money == null ? "no amount" : money.getAmountMinor() + " " + money.getCurrency() + " (minor units)";
    }
}
