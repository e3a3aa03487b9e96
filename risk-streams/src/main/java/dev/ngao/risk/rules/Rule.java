package dev.ngao.risk.rules;

import dev.ngao.events.PaymentRequest;

import java.util.Optional;

/**
 * One named check of a payment request. A rule that has nothing to say returns empty; a rule that
 * matches returns a {@link RuleHit} with its own outcome. Rules never write state: reserving what an
 * approval consumes is the processor's job, once, after every rule has spoken.
 */
public interface Rule {

    /** Stable id written into every decision reason, e.g. {@code per-transaction-limit}. */
    String id();

    Optional<RuleHit> evaluate(PaymentRequest request, UsageView usage);
}
