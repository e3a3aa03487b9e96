package dev.ngao.rules;

import dev.ngao.events.Outcome;
import dev.ngao.events.RuleAction;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one place verdicts combine. Shadow hits are recorded, never counted. Among enforced hits: any BLOCK
 * declines; otherwise a score at or above the block threshold declines; otherwise any ALLOW approves (an
 * allow entry overrides review and challenge rules, never a block or a hard limit); otherwise any REVIEW, or a
 * score at or above the review threshold, sends the request to review; otherwise any CHALLENGE asks for a
 * step-up verification of the payer; otherwise it is approved.
 *
 * <p>So DECLINE over REVIEW over CHALLENGE over APPROVE: a passed challenge proves the payer holds the
 * enrolled phone, not that the payment is sound, so what an analyst must see is not waved through by an OTP
 * (a mule's payer passes one as easily as anyone), and a challenge stays the lighter answer to a doubt about
 * who is paying (an unusual place or hour).
 *
 * <p>When the rule set has score thresholds, a REVIEW rule with a weight speaks through the score only, as
 * a rule of a Tazama typology does: it adds its weight and does not send to review on its own (else the
 * review threshold could never matter, every weighted rule reviewing by itself). Unweighted REVIEW rules,
 * and every REVIEW rule of a rule set without thresholds, review on their own.
 */
public final class Resolution {

    /** The outcome, the score (null when the rule set has no thresholds and no hit had a weight) and every hit. */
    public record Resolved(Outcome outcome, Integer score, List<RuleHit> hits) {
        public Resolved {
            hits = List.copyOf(hits);
        }
    }

    private Resolution() {
    }

    public static Resolved resolve(Collection<RuleHit> hits, Optional<ScoreThresholds> thresholds) {
        boolean block = false;
        boolean allow = false;
        boolean review = false;
        boolean challenge = false;
        int score = 0;
        boolean weighted = false;
        for (RuleHit hit : hits) {
            if (!hit.enforced()) {
                continue;
            }
            block |= hit.action() == RuleAction.BLOCK;
            allow |= hit.action() == RuleAction.ALLOW;
            review |= hit.action() == RuleAction.REVIEW && (hit.weight() == 0 || thresholds.isEmpty());
            challenge |= hit.action() == RuleAction.CHALLENGE;
            if (hit.weight() != 0) {
                weighted = true;
                score = Math.addExact(score, hit.weight());
            }
        }
        int finalScore = score;
        boolean scoreBlocks = thresholds.map(t -> finalScore >= t.blockAt()).orElse(false);
        boolean scoreReviews = thresholds.map(t -> finalScore >= t.reviewAt()).orElse(false);
        Outcome outcome;
        if (block || scoreBlocks) {
            outcome = Outcome.DECLINE;
        } else if (allow) {
            outcome = Outcome.APPROVE;
        } else if (review || scoreReviews) {
            outcome = Outcome.REVIEW;
        } else if (challenge) {
            outcome = Outcome.CHALLENGE;
        } else {
            outcome = Outcome.APPROVE;
        }
        Integer reported = weighted || thresholds.isPresent() ? score : null;
        return new Resolved(outcome, reported, List.copyOf(hits));
    }

    /** What a hit's action means as an outcome on its own, for decision reasons. */
    public static Outcome outcomeOf(RuleAction action) {
        return switch (action) {
            case ALLOW -> Outcome.APPROVE;
            case REVIEW -> Outcome.REVIEW;
            case BLOCK -> Outcome.DECLINE;
            case CHALLENGE -> Outcome.CHALLENGE;
        };
    }
}
