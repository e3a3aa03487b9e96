package dev.ngao.ingest.webhook;

import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;

import java.util.Map;
import java.util.Set;

/**
 * The provider status state machine: a status never moves a transaction backwards.
 * <pre>
 *   (none) ──> any status
 *   PENDING ──> SUCCEEDED | FAILED | EXPIRED
 *   SUCCEEDED ──> REVERSED
 *   FAILED, EXPIRED, REVERSED: final
 * </pre>
 * A status that is not a move forward is judged, not applied: the same status again is
 * {@link StatusTransition#DUPLICATE_STATUS}; a status the transaction already passed through (PENDING
 * after any final state, SUCCEEDED after REVERSED) is {@link StatusTransition#STALE}, a late delivery;
 * anything else contradicts the state (SUCCEEDED after EXPIRED, FAILED after SUCCEEDED, REVERSED of a
 * payment that never succeeded) and is a {@link StatusTransition#CONFLICT} for review.
 */
public final class StatusTransitions {

    private static final Map<ProviderStatus, Set<ProviderStatus>> FORWARD = Map.of(
            ProviderStatus.PENDING, Set.of(ProviderStatus.SUCCEEDED, ProviderStatus.FAILED, ProviderStatus.EXPIRED),
            ProviderStatus.SUCCEEDED, Set.of(ProviderStatus.REVERSED));

    /** Statuses each state has necessarily passed through: receiving one of them late is no contradiction. */
    private static final Map<ProviderStatus, Set<ProviderStatus>> PASSED = Map.of(
            ProviderStatus.SUCCEEDED, Set.of(ProviderStatus.PENDING),
            ProviderStatus.FAILED, Set.of(ProviderStatus.PENDING),
            ProviderStatus.EXPIRED, Set.of(ProviderStatus.PENDING),
            ProviderStatus.REVERSED, Set.of(ProviderStatus.PENDING, ProviderStatus.SUCCEEDED));

    private StatusTransitions() {
    }

    /** What {@code incoming} does to a transaction in {@code current} (null when nothing is known yet). */
    public static StatusTransition judge(ProviderStatus current, ProviderStatus incoming) {
        if (current == null) {
            return StatusTransition.APPLIED;
        }
        if (current == incoming) {
            return StatusTransition.DUPLICATE_STATUS;
        }
        if (FORWARD.getOrDefault(current, Set.of()).contains(incoming)) {
            return StatusTransition.APPLIED;
        }
        if (PASSED.getOrDefault(current, Set.of()).contains(incoming)) {
            return StatusTransition.STALE;
        }
        return StatusTransition.CONFLICT;
    }
}
