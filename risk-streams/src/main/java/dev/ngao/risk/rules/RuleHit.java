package dev.ngao.risk.rules;

import dev.ngao.events.Outcome;

import java.util.Objects;

/**
 * What one rule said about one request. The message is for analysts and must stay free of PII: it may
 * name amounts, currencies, limits and UTC days, never an MSISDN, document or email.
 */
public record RuleHit(String ruleId, Outcome outcome, String message) {

    public RuleHit {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
    }

    public static RuleHit decline(String ruleId, String message) {
        return new RuleHit(ruleId, Outcome.DECLINE, message);
    }
}
