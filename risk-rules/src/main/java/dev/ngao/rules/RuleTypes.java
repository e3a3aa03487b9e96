package dev.ngao.rules;

/** The catalogue of rule types and their parameters. */
public final class RuleTypes {

    private RuleTypes() {
    }
}
