package dev.ngao.rules;

import dev.ngao.events.AccountKind;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;

import java.util.Objects;
import java.util.Set;

/**
 * What every rule carries whatever its type: its id, type, action and mode from the rule set, and the two
 * parameters every type accepts, {@code weight} (added to the score on a match) and {@code accountKinds}
 * (the account kinds the rule applies to; empty for all).
 */
record RuleSpec(String id, String type, RuleAction action, RuleMode mode, int weight, Set<AccountKind> accountKinds) {

    RuleSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(mode, "mode");
        accountKinds = Set.copyOf(accountKinds);
    }

    boolean appliesTo(AccountKind kind) {
        return accountKinds.isEmpty() || accountKinds.contains(kind);
    }
}
