package dev.ngao.providers.report;

import java.util.Iterator;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * For formats that carry a payment's fee in a column of the payment's line: pairs each payment row with the
 * fee row that follows it (same provider reference), holding at most one payment back. A fee row anywhere
 * else cannot be written in such a format and is refused.
 */
final class InlineFees {

    private InlineFees() {
    }

    static void pair(Iterator<ReportRow> rows, BiConsumer<ReportRow, ReportRow> paymentAndFee) {
        ReportRow pending = null;
        while (rows.hasNext()) {
            ReportRow row = rows.next();
            if (row.type() == ReportRow.RowType.FEE) {
                if (pending == null || !Objects.equals(pending.providerReference(), row.providerReference())) {
                    throw new IllegalArgumentException("this format carries a fee only on the line of its payment, "
                            + "right after it: fee of line " + row.lineNumber() + " has no payment before it");
                }
                paymentAndFee.accept(pending, row);
                pending = null;
            } else {
                if (pending != null) {
                    paymentAndFee.accept(pending, null);
                }
                pending = row;
            }
        }
        if (pending != null) {
            paymentAndFee.accept(pending, null);
        }
    }
}
