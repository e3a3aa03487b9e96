package dev.ngao.rules;

import dev.ngao.events.AccountKind;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleSetPublished;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a published rule set into a {@link CompiledRuleSet}, or refuses it naming every problem (unknown
 * type, duplicate id, missing, unknown or malformed parameter, bad zone, impossible threshold...), each
 * prefixed with the rule's id: {@code rule 'v1': parameter windowSeconds must be positive, got 0}. Pure
 * and thread-safe: one instance may serve every stream thread.
 */
public final class RuleSetCompiler {

    /** The most rules one rule set may hold, as ingest-service accepts them. */
    public static final int MAXIMUM_RULES = 500;

    private static final int MAXIMUM_WEIGHT = 10_000;

    public CompiledRuleSet compile(RuleSetPublished published) throws InvalidRuleSetException {
        List<String> problems = new ArrayList<>();
        String merchantId = published.getMerchantId();
        String version = published.getVersion();
        if (merchantId == null || merchantId.isBlank()) {
            problems.add("merchantId must not be blank");
        }
        if (version == null || version.isBlank()) {
            problems.add("version must not be blank");
        }
        List<dev.ngao.events.Rule> declared = published.getRules() == null ? List.of() : published.getRules();
        if (declared.isEmpty()) {
            problems.add("a rule set needs at least one rule");
        }
        if (declared.size() > MAXIMUM_RULES) {
            problems.add("a rule set holds at most " + MAXIMUM_RULES + " rules, got " + declared.size());
        }
        List<Rule> rules = new ArrayList<>();
        List<ScoreThresholds> thresholds = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int index = 0; index < declared.size(); index++) {
            dev.ngao.events.Rule rule = declared.get(index);
            String id = rule.getId() == null || rule.getId().isBlank() ? "#" + (index + 1) : rule.getId();
            if (!ids.add(id)) {
                problems.add("rule '" + id + "': id repeats an earlier rule's; ids are unique within a rule set");
            }
            compile(id, rule, problems, rules, thresholds);
        }
        if (thresholds.size() > 1) {
            problems.add("a rule set has at most one rule of type " + RuleTypes.SCORE_THRESHOLDS + ", got "
                    + thresholds.size());
        }
        if (!problems.isEmpty()) {
            throw new InvalidRuleSetException(String.valueOf(merchantId), String.valueOf(version), problems);
        }
        return new CompiledRuleSet(merchantId, version, rules, thresholds.isEmpty() ? null : thresholds.get(0));
    }

    private static void compile(String id, dev.ngao.events.Rule declared, List<String> problems, List<Rule> rules,
                                List<ScoreThresholds> thresholds) {
        String type = declared.getType() == null ? "" : declared.getType();
        ParameterReader reader = ParameterReader.of(id, type, declared.getParametersJson(), problems);
        if (declared.getId() == null || declared.getId().isBlank()) {
            reader.problem("id must not be blank");
        }
        if (declared.getAction() == null || declared.getMode() == null) {
            reader.problem("action and mode are required");
            return;
        }
        if (RuleTypes.SCORE_THRESHOLDS.equals(type)) {
            ScoreThresholds read = scoreThresholds(reader);
            reader.finish();
            if (read != null) {
                thresholds.add(read);
            }
            return;
        }
        RuleTypes.Factory factory = RuleTypes.factory(type);
        if (factory == null) {
            reader.problem("unknown type '" + type + "'; known types: " + String.join(", ", RuleTypes.names()));
            return;
        }
        Integer weight = reader.intValue(BaseRule.WEIGHT, 0, 0, MAXIMUM_WEIGHT);
        List<AccountKind> kinds = reader.enumList(BaseRule.ACCOUNT_KINDS, AccountKind.class, List.of(),
                ParameterReader.allBut(AccountKind.class, AccountKind.UNKNOWN));
        RuleSpec spec = new RuleSpec(id, type, declared.getAction(), declared.getMode(), weight == null ? 0 : weight,
                Set.copyOf(kinds));
        Rule rule = factory.create(spec, reader);
        checkAction(reader, declared.getAction(), rule);
        reader.finish();
        if (rule != null && reader.valid()) {
            rules.add(rule);
        }
    }

    /**
     * An ALLOW list rule only allows; an allow action on a block list would let the listed through; an allow on
     * a card's funds would approve money the card does not have, and so would a challenge (a passed OTP adds no
     * funds). A CHALLENGE rule has no weight: scores review or decline, and a weighted challenge would mean
     * neither. Other combinations are the author's choice (a block list may send to review or challenge).
     */
    private static void checkAction(ParameterReader reader, RuleAction action, Rule rule) {
        if (rule instanceof CardFundsRule && (action == RuleAction.ALLOW || action == RuleAction.CHALLENGE)) {
            reader.problem("a card-funds rule cannot have action " + action);
        }
        if (rule != null && action == RuleAction.CHALLENGE && rule.weight() != 0) {
            reader.problem("a CHALLENGE rule cannot have a weight: scores review or decline");
        }
        if (rule instanceof ListRule list) {
            boolean allowList = list.parameters().list() == dev.ngao.events.ListKind.ALLOW;
            if (allowList && action != RuleAction.ALLOW) {
                reader.problem("an ALLOW list rule must have action ALLOW, got " + action);
            } else if (!allowList && action == RuleAction.ALLOW) {
                reader.problem("a BLOCK list rule cannot have action ALLOW");
            }
        }
    }

    private static ScoreThresholds scoreThresholds(ParameterReader reader) {
        Integer reviewAt = reader.intValue("reviewAt", null, 1, Integer.MAX_VALUE);
        Integer blockAt = reader.intValue("blockAt", null, 1, Integer.MAX_VALUE);
        if (reviewAt == null || blockAt == null) {
            return null;
        }
        if (blockAt < reviewAt) {
            reader.refuse("blockAt", "must be at least reviewAt (" + reviewAt + "), got " + blockAt);
            return null;
        }
        return new ScoreThresholds(reviewAt, blockAt);
    }

    /** Compiles a rule set that is expected to be valid (built-in or tested), as an unchecked failure. */
    public CompiledRuleSet compileValid(RuleSetPublished published) {
        try {
            return compile(published);
        } catch (InvalidRuleSetException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
