package dev.ngao.reconciler.report;

import java.time.LocalDate;
import java.util.Objects;

/** One reconciliation run: a provider's settlement day. The id is deterministic, so a re-run has the same. */
public record RunId(String provider, LocalDate day) {

    public RunId {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(day, "day");
        if (!provider.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("provider id must be [a-z0-9-]{1,64}");
        }
    }

    /** {@code recon:<provider>:<day>}. */
    public String id() {
        return "recon:" + provider + ":" + day;
    }

    /** The file name stem of the run's reports: {@code <provider>-<day>}. */
    public String fileStem() {
        return provider + "-" + day;
    }
}
