package dev.ngao.reconciler.report;

import dev.ngao.events.ReconciliationBreak;

import java.util.List;

/**
 * Where new breaks, and breaks written again as {@code cleared}, go: {@code recon.breaks} in the service. Returns
 * once every break was acknowledged.
 */
@FunctionalInterface
public interface BreakSink {

    /** @throws RuntimeException if any break was not acknowledged; the run fails and a re-run sends it again */
    void publish(List<ReconciliationBreak> breaks);
}
