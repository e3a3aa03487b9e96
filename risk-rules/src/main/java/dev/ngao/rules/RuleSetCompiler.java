package dev.ngao.rules;

import dev.ngao.events.RuleSetPublished;

/**
 * Turns a published rule set into a {@link CompiledRuleSet}, or refuses it naming every problem (unknown
 * type, missing or malformed parameter, bad zone, impossible threshold...). Pure and thread-safe.
 */
public final class RuleSetCompiler {

    public CompiledRuleSet compile(RuleSetPublished published) throws InvalidRuleSetException {
        throw new UnsupportedOperationException("filled in with RuleTypes");
    }
}
