package dev.ngao.risk.rules;

import java.time.LocalDate;

/** Read-only view of what an account has already reserved; rules read it, only the processor writes. */
@FunctionalInterface
public interface UsageView {

    /** Minor units of {@code currency} reserved by approvals of {@code accountId} on the UTC day {@code utcDay}. */
    long reservedMinor(String accountId, String currency, LocalDate utcDay);

    /** Nothing reserved anywhere; for tests and first requests. */
    static UsageView empty() {
        return (accountId, currency, utcDay) -> 0L;
    }
}
