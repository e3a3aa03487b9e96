package dev.ngao.ingest.ruleset;

import dev.ngao.events.Rule;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.ingest.http.FieldError;
import dev.ngao.ingest.http.FieldReader;
import dev.ngao.ingest.http.Validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shape of a rule set document, JSON or YAML: {@code merchantId} (a merchant id or {@code default}),
 * {@code version}, and 1 to {@value #MAXIMUM_RULES} rules, each with a unique {@code id}, a {@code type}, a
 * {@code parameters} object, an {@code action} (ALLOW, REVIEW, BLOCK) and a {@code mode} (ENFORCE, SHADOW).
 * What each type means and which parameters it takes is checked next, by the risk engine's own compiler
 * ({@link RuleSetRoutes}); here only the shape is.
 * Every refusal of a rule names it: the field by position ({@code rules[2].action}), the message by its id.
 */
public final class RuleSetValidator {

    public static final String MERCHANT_ID = "merchantId";
    public static final String VERSION = "version";
    public static final String RULES = "rules";
    public static final String ID = "id";
    public static final String TYPE = "type";
    public static final String PARAMETERS = "parameters";
    public static final String ACTION = "action";
    public static final String MODE = "mode";
    public static final String DEFAULT_MERCHANT = "default";

    static final int MAXIMUM_RULES = 500;
    static final int MAXIMUM_PARAMETERS_LENGTH = 4_096;
    static final Pattern VERSION_FORMAT = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final Pattern RULE_TYPE = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    private static final Set<String> FIELDS = Set.of(MERCHANT_ID, VERSION, RULES);
    private static final Set<String> RULE_FIELDS = Set.of(ID, TYPE, PARAMETERS, ACTION, MODE);

    /** A rule set that passed every rule; {@code merchantId} is a merchant id or {@link #DEFAULT_MERCHANT}. */
    public record ValidRuleSet(String merchantId, String version, List<Rule> rules) {
    }

    public Validation<ValidRuleSet> validate(Map<String, ?> document) {
        FieldReader fields = FieldReader.of(document);
        fields.refuseUnknown(FIELDS);
        String merchantId = fields.requiredMatching(MERCHANT_ID, FieldReader.REFERENCE,
                "must be a merchant id (" + FieldReader.REFERENCE_RULE + ") or default");
        String version = fields.requiredMatching(VERSION, VERSION_FORMAT,
                "must be a string of 1 to 32 characters among A-Z a-z 0-9 . _ - (quote numbers in YAML)");
        List<FieldReader> items = fields.objectList(RULES, true, MAXIMUM_RULES);
        if (document.get(RULES) instanceof List<?> list && list.isEmpty()) {
            fields.refuse(RULES, "must hold at least one rule");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (FieldReader item : items) {
            Rule rule = rule(item, ids);
            if (rule != null) {
                rules.add(rule);
            }
        }
        List<FieldError> errors = namingRules(fields.errors(), document.get(RULES));
        return Validation.of(errors, () -> new ValidRuleSet(merchantId, version, rules));
    }

    private static Rule rule(FieldReader item, Set<String> ids) {
        item.refuseUnknown(RULE_FIELDS);
        String id = item.requiredMatching(ID, RULE_ID, "must be 1 to 64 characters among A-Z a-z 0-9 . _ -");
        if (id != null && !ids.add(id)) {
            item.refuse(ID, "repeats the id of an earlier rule; ids are unique within a rule set");
        }
        String type = item.requiredMatching(TYPE, RULE_TYPE,
                "must be a rule type in lower case such as velocity-count");
        FieldReader parameters = item.requiredObject(PARAMETERS);
        String parametersJson = parameters == null ? null : RuleSetDocuments.toJson(item.raw(PARAMETERS));
        if (parametersJson != null && parametersJson.length() > MAXIMUM_PARAMETERS_LENGTH) {
            item.refuse(PARAMETERS, "must not exceed " + MAXIMUM_PARAMETERS_LENGTH + " characters as JSON");
        }
        RuleAction action = item.requiredEnum(ACTION, RuleAction.class);
        RuleMode mode = item.requiredEnum(MODE, RuleMode.class);
        if (id == null || type == null || parametersJson == null || action == null || mode == null) {
            return null;
        }
        return new Rule(id, type, parametersJson, action, mode);
    }

    /** Puts the rule's id, when it has a readable one, in front of the message of each of its errors. */
    private static List<FieldError> namingRules(List<FieldError> errors, Object rules) {
        if (!(rules instanceof List<?> list)) {
            return errors;
        }
        List<FieldError> named = new ArrayList<>();
        for (FieldError error : errors) {
            named.add(named(error, list));
        }
        return named;
    }

    private static FieldError named(FieldError error, List<?> rules) {
        String prefix = RULES + "[";
        if (!error.field().startsWith(prefix)) {
            return error;
        }
        int end = error.field().indexOf(']');
        int index = Integer.parseInt(error.field().substring(prefix.length(), end));
        Object id = rules.get(index) instanceof Map<?, ?> rule ? rule.get(ID) : null;
        String name = id instanceof String text && RULE_ID.matcher(text).matches() ? "rule '" + text + "'"
                : "rule " + (index + 1);
        return new FieldError(error.field(), name + ": " + error.message());
    }
}
