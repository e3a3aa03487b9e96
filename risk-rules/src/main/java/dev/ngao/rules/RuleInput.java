package dev.ngao.rules;

import dev.ngao.events.PaymentRequest;

/**
 * What a rule evaluates: the request, the value of the rule's dimension for it (the stage's key), and the
 * state it may read.
 */
public record RuleInput(PaymentRequest request, String dimensionValue, StateView state) {
}
