package dev.ngao.rules;

/**
 * Tazama-style typology thresholds of a rule set: the score is the sum of the weights of every enforced
 * rule that matched; at or above {@code reviewAt} the request goes to review, at or above {@code blockAt}
 * it is declined. Declared in a rule set as one rule of type {@code score-thresholds}.
 */
public record ScoreThresholds(int reviewAt, int blockAt) {

    public ScoreThresholds {
        if (reviewAt < 1 || blockAt < reviewAt) {
            throw new IllegalArgumentException("score thresholds need 1 <= reviewAt <= blockAt");
        }
    }
}
