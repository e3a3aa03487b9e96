package dev.ngao.risk.bench;

import java.time.Duration;

/**
 * One phase: a pipeline offered {@code rate} requests per second for the warm-up and then the measured
 * duration. Every identifier a phase generates (transactions, accounts, merchants, IPs, devices, documents)
 * carries its number, so no limit, counter or answer of one phase reaches another.
 */
record PhasePlan(int number, PhaseKind kind, int rate, Duration warmUp, Duration measured, int accounts) {

    enum PhaseKind {
        /** A pipeline's first traffic, not measured: startup costs stay out of the table. */
        WARM_UP,
        /** One of NGAO_BENCH_RATES. */
        FIXED,
        /** A step of the search for the maximum sustained rate. */
        SEARCH
    }

    long warmUpRequests() {
        return requestsIn(warmUp);
    }

    long measuredRequests() {
        return Math.max(1, requestsIn(measured));
    }

    long totalRequests() {
        return warmUpRequests() + measuredRequests();
    }

    /** Accounts that receive at least one request: the first ones, as requests take the accounts in turn. */
    int accountsInUse() {
        return (int) Math.min(accounts, totalRequests());
    }

    /** Requests per account in this phase, rounded up: the velocity rules count these. */
    long requestsPerAccount() {
        return (totalRequests() + accounts - 1) / accounts;
    }

    String transactionPrefix() {
        return "ph" + number + "-";
    }

    String transactionId(long index) {
        return transactionPrefix() + index;
    }

    /** The index of one of this phase's transaction ids; -1 for another phase's or a probe's. */
    long indexOf(String transactionId) {
        String prefix = transactionPrefix();
        if (!transactionId.startsWith(prefix)) {
            return -1;
        }
        try {
            long index = Long.parseLong(transactionId, prefix.length(), transactionId.length(), 10);
            return index < totalRequests() ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private long requestsIn(Duration duration) {
        return Math.round(rate * (duration.toNanos() / 1e9));
    }
}
