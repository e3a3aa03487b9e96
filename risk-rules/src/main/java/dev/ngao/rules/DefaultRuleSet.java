package dev.ngao.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rule set in force for merchants without their own until a {@code default} rule set is published:
 * the limits of the foundation (a positive amount, a per-transaction and a daily UTC limit per account
 * and currency from risk-streams' configuration, failing closed on a currency without one) plus the card
 * checks every card program needs (card state, the card's own spending controls, and its funds: every card is
 * prepaid). Every rule blocks.
 * It goes through the {@link RuleSetCompiler} like any published rule set, so it obeys the same checks.
 */
public final class DefaultRuleSet {

    public static final String AMOUNT_POSITIVE = "amount-positive";
    public static final String PER_TRANSACTION_LIMIT = "per-transaction-limit";
    public static final String DAILY_LIMIT = "daily-limit";
    public static final String CARD_STATE = "card-state";
    public static final String CARD_CONTROLS = "card-controls";
    /** The card-funds rule: its id is the reason a card authorization beyond the card's funds is declined. */
    public static final String INSUFFICIENT_FUNDS = "insufficient-funds";

    /** Written as the publisher of the built-in rule set, where an API key id would be. */
    public static final String BUILT_IN = "built-in";

    private DefaultRuleSet() {
    }

    /**
     * The compiled default rule set of {@code version}; limits per ISO-4217 currency in minor units.
     *
     * @throws IllegalArgumentException when a limit or currency is invalid, naming every problem
     */
    public static CompiledRuleSet of(String version, Map<String, Long> perTransactionLimitsMinor,
                                     Map<String, Long> dailyLimitsMinor) {
        return new RuleSetCompiler().compileValid(published(version, perTransactionLimitsMinor, dailyLimitsMinor));
    }

    /** The same rule set as data, e.g. to publish it as merchant {@code default} or print it. */
    public static RuleSetPublished published(String version, Map<String, Long> perTransactionLimitsMinor,
                                             Map<String, Long> dailyLimitsMinor) {
        return RuleSetPublished.newBuilder()
                .setMerchantId(CompiledRuleSet.DEFAULT_MERCHANT)
                .setVersion(version)
                .setRules(List.of(
                        rule(AMOUNT_POSITIVE, RuleTypes.AMOUNT_POSITIVE, Map.of()),
                        rule(PER_TRANSACTION_LIMIT, RuleTypes.LIMIT, limit("PER_TRANSACTION", perTransactionLimitsMinor)),
                        rule(DAILY_LIMIT, RuleTypes.LIMIT, limit("DAY", dailyLimitsMinor)),
                        rule(CARD_STATE, RuleTypes.CARD_STATE, Map.of()),
                        rule(CARD_CONTROLS, RuleTypes.CARD_CONTROLS, Map.of()),
                        rule(INSUFFICIENT_FUNDS, RuleTypes.CARD_FUNDS, Map.of())))
                .setApiKeyId(BUILT_IN)
                .setPublishedAt(Instant.EPOCH)
                .build();
    }

    private static Map<String, Object> limit(String interval, Map<String, Long> limitsMinor) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("dimension", Dimension.ACCOUNT.name());
        parameters.put("interval", interval);
        parameters.put("zone", "UTC");
        parameters.put("limits", new TreeMap<>(limitsMinor));
        parameters.put("failClosed", true);
        return parameters;
    }

    private static dev.ngao.events.Rule rule(String id, String type, Map<String, Object> parameters) {
        try {
            return new dev.ngao.events.Rule(id, type, ParameterReader.JSON.writeValueAsString(parameters),
                    RuleAction.BLOCK, RuleMode.ENFORCE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps always encode", e);
        }
    }
}
