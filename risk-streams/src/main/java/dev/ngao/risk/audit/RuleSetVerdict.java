package dev.ngao.risk.audit;

import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.risk.topology.RuleSetCompilation;
import dev.ngao.rules.InvalidRuleSetException;

import java.util.List;

/**
 * What risk-streams makes of a published rule set, judged as its rule-sets global store judges it: published under
 * its own merchant's key and compiled by the same {@link RuleSetCompilation}. Accepted, it is in force; refused, the
 * owner's last good version stays.
 *
 * @param result      {@link Result#ACCEPTED}, {@link Result#REFUSED} (with every problem the compiler named), or
 *                    {@link Result#FAILED} when the compiler itself failed on it (never applied either)
 * @param problems    empty when accepted
 * @param shadowRules rules published in SHADOW mode (evaluated, never deciding)
 */
record RuleSetVerdict(Result result, List<String> problems, int shadowRules) {

    enum Result { ACCEPTED, REFUSED, FAILED }

    RuleSetVerdict {
        problems = List.copyOf(problems);
    }

    static RuleSetVerdict of(String owner, RuleSetPublished published, RuleSetCompilation compiler) {
        int shadowRules = (int) published.getRules().stream().filter(rule -> rule.getMode() == RuleMode.SHADOW).count();
        if (!published.getMerchantId().equals(owner)) {
            return new RuleSetVerdict(Result.REFUSED, List.of("published under key " + owner + " but names merchant "
                    + published.getMerchantId()), shadowRules);
        }
        try {
            compiler.compile(published);
            return new RuleSetVerdict(Result.ACCEPTED, List.of(), shadowRules);
        } catch (InvalidRuleSetException e) {
            return new RuleSetVerdict(Result.REFUSED, e.problems(), shadowRules);
        } catch (RuntimeException e) {
            return new RuleSetVerdict(Result.FAILED, List.of("the compiler failed on it: " + e.getClass().getName()),
                    shadowRules);
        }
    }
}
