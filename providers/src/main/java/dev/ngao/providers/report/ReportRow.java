package dev.ngao.providers.report;

import dev.ngao.events.Money;
import dev.ngao.events.ProviderStatus;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One row of a provider settlement report, normalised: amounts in minor units, times in UTC, the
 * settlement day in the provider's zone. A fee is its own row ({@link RowType#FEE}) pointing at the
 * payment it belongs to through the same provider reference.
 *
 * @param lineNumber where the row was in the file, from 1, for break reports
 */
public record ReportRow(String provider, LocalDate settlementDay, long lineNumber, RowType type,
                        String providerReference, String transactionId, Money amount, ProviderStatus status,
                        Instant occurredAt) {

    public enum RowType { PAYMENT, FEE }

    public ReportRow {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(settlementDay, "settlementDay");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(providerReference, "providerReference");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
