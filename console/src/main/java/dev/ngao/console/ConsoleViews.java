package dev.ngao.console;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.Outcome;
import dev.ngao.events.ProviderHealthEvent;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StopScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What the console shows, folded from the topics as they are read: the open review queue (a REVIEW decision
 * stays open until its REVIEW_RESOLUTION decision arrives), the most recent decisions, the reconciliation
 * breaks per settlement day (a break found again by a re-run of the day has the same id and is kept once),
 * each provider's latest health, and the operators' emergency stops in force (the latest record of each stop
 * id, kept while active). Every part is bounded, so the console's memory does not grow with the topics.
 * Thread-safe: the feed thread writes, HTTP handlers read copies.
 */
final class ConsoleViews {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleViews.class);

    private final int decisionsKept;
    private final int reviewsKept;
    private final int breaksKept;
    private final Deque<RiskDecision> recent = new ArrayDeque<>();
    /** Open reviews by transaction, oldest first. */
    private final LinkedHashMap<String, OpenReview> reviews = new LinkedHashMap<>();
    private final TreeMap<String, LinkedHashMap<String, ReconciliationBreak>> breaksByDay = new TreeMap<>();
    private final TreeMap<String, ProviderHealthEvent> health = new TreeMap<>();
    /** Emergency stops in force by stop id: few (one per scope, target and traffic an operator named). */
    private final TreeMap<String, EmergencyStop> stops = new TreeMap<>();
    private int breakCount;
    private long decisionsSeen;
    private volatile boolean caughtUp;

    ConsoleViews(int decisionsKept, int reviewsKept, int breaksKept) {
        this.decisionsKept = decisionsKept;
        this.reviewsKept = reviewsKept;
        this.breaksKept = breaksKept;
    }

    /** An open review: the REVIEW decision, and the resolution sent from this console that is not yet final. */
    record OpenReview(RiskDecision decision, Optional<SentResolution> sent) {
    }

    /** A resolution this console handed to ingest (accepted there) before its final decision came back. */
    record SentResolution(Outcome outcome, String resolutionId, String analystKeyId) {
    }

    synchronized void onDecision(RiskDecision decision) {
        decisionsSeen++;
        recent.addFirst(decision);
        if (recent.size() > decisionsKept) {
            recent.removeLast();
        }
        String transactionId = decision.getTransactionId();
        if (decision.getKind() == DecisionKind.REVIEW_RESOLUTION
                || decision.getKind() == DecisionKind.AUTHORIZATION_ANSWER) {
            // Final: an analyst's resolution, or the answer a card network was given for a review. A CHALLENGE
            // never enters the review queue: the merchant completes it, not an analyst.
            reviews.remove(transactionId);
            return;
        }
        if (decision.getOutcome() == Outcome.REVIEW && decision.getKind() == DecisionKind.INITIAL
                && !reviews.containsKey(transactionId)) {
            reviews.put(transactionId, new OpenReview(decision, Optional.empty()));
            if (reviews.size() > reviewsKept) {
                Iterator<String> oldest = reviews.keySet().iterator();
                LOG.warn("Review queue view holds {} reviews; the oldest, {}, drops out of the view (still open in "
                        + "risk-streams)", reviewsKept, oldest.next());
                oldest.remove();
            }
        }
    }

    /** Marks an open review as resolved from here, until risk-streams' final decision closes it. */
    synchronized void onResolutionSent(String transactionId, SentResolution sent) {
        reviews.computeIfPresent(transactionId, (id, open) -> new OpenReview(open.decision(), Optional.of(sent)));
    }

    synchronized void onBreak(ReconciliationBreak found) {
        String day = dayOf(found);
        if (found.getCleared()) {
            // Its late counterpart came and matched: the break no longer stands (same id, same detection day).
            LinkedHashMap<String, ReconciliationBreak> ofDay = breaksByDay.get(day);
            if (ofDay != null && ofDay.remove(found.getBreakId()) != null) {
                breakCount--;
                if (ofDay.isEmpty()) {
                    breaksByDay.remove(day);
                }
            }
            return;
        }
        LinkedHashMap<String, ReconciliationBreak> ofDay = breaksByDay.computeIfAbsent(day, ignored -> new LinkedHashMap<>());
        if (ofDay.put(found.getBreakId(), found) == null) {
            breakCount++;
        }
        while (breakCount > breaksKept && breaksByDay.size() > 1) {
            Map.Entry<String, LinkedHashMap<String, ReconciliationBreak>> oldest = breaksByDay.pollFirstEntry();
            breakCount -= oldest.getValue().size();
            LOG.info("Breaks view holds more than {} breaks; day {} drops out of the view", breaksKept, oldest.getKey());
        }
    }

    synchronized void onHealth(ProviderHealthEvent event) {
        health.merge(event.getProvider(), event,
                (known, next) -> next.getObservedAt().isBefore(known.getObservedAt()) ? known : next);
    }

    /** The latest record of a stop: in force while active, gone once lifted. */
    synchronized void onStop(EmergencyStop stop) {
        if (stop.getActive()) {
            stops.put(stop.getStopId(), stop);
        } else {
            stops.remove(stop.getStopId());
        }
    }

    /**
     * The stops in force that concern {@code merchantId}, by stop id: global ones, those of a provider, and those
     * of this merchant; another merchant's stop is not its business. {@code everyMerchant} (an operator) sees all.
     */
    synchronized List<EmergencyStop> stops(String merchantId, boolean everyMerchant) {
        return stops.values().stream()
                .filter(stop -> everyMerchant || stop.getScope() != StopScope.MERCHANT
                        || merchantId.equals(stop.getTarget()))
                .toList();
    }

    /** The settlement day of the run that found a break; a break found outside a report run by its UTC day. */
    static String dayOf(ReconciliationBreak found) {
        if (found.getSettlementDay() != null) {
            return found.getSettlementDay();
        }
        return found.getDetectedAt().atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** The open reviews of {@code merchantId}, oldest first. */
    synchronized List<OpenReview> reviews(String merchantId) {
        return reviews.values().stream().filter(open -> open.decision().getMerchantId().equals(merchantId)).toList();
    }

    synchronized Optional<OpenReview> review(String merchantId, String transactionId) {
        return Optional.ofNullable(reviews.get(transactionId))
                .filter(open -> open.decision().getMerchantId().equals(merchantId));
    }

    /** The newest decisions of {@code merchantId} that pass {@code filter}, newest first, at most {@code limit}. */
    synchronized List<RiskDecision> decisions(String merchantId, Predicate<RiskDecision> filter, int limit) {
        List<RiskDecision> found = new ArrayList<>();
        for (RiskDecision decision : recent) {
            if (found.size() == limit) {
                break;
            }
            if (decision.getMerchantId().equals(merchantId) && filter.test(decision)) {
                found.add(decision);
            }
        }
        return found;
    }

    /** Days with breaks, newest first, with how many each. */
    synchronized SortedMap<String, Integer> breakDays() {
        SortedMap<String, Integer> days = new TreeMap<>(java.util.Comparator.reverseOrder());
        breaksByDay.forEach((day, breaks) -> days.put(day, breaks.size()));
        return days;
    }

    synchronized List<ReconciliationBreak> breaks(String day) {
        LinkedHashMap<String, ReconciliationBreak> ofDay = breaksByDay.get(day);
        return ofDay == null ? List.of() : List.copyOf(ofDay.values());
    }

    /** Each provider's latest health, by provider id. */
    synchronized List<ProviderHealthEvent> health() {
        return List.copyOf(health.values());
    }

    synchronized long decisionsSeen() {
        return decisionsSeen;
    }

    synchronized int openReviews() {
        return reviews.size();
    }

    /** Whether the feed has read each topic up to where it stood when the console started. */
    boolean caughtUp() {
        return caughtUp;
    }

    void markCaughtUp() {
        caughtUp = true;
    }
}
