package dev.ngao.risk.topology;

import dev.ngao.events.RuleSetPublished;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.InvalidRuleSetException;

/** Compiles a published rule set or refuses it: {@code new RuleSetCompiler()::compile} in the service. */
@FunctionalInterface
public interface RuleSetCompilation {

    CompiledRuleSet compile(RuleSetPublished published) throws InvalidRuleSetException;
}
