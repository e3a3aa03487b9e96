package dev.ngao.rules;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The catalogue of rule types: each name a rule set may use, and the class that reads its parameters
 * and checks requests. {@value #SCORE_THRESHOLDS} is not a per-request rule: the compiler turns it into
 * the rule set's {@link ScoreThresholds}. The parameters of every type are described in the module's
 * README and in {@code risk-streams/rulesets/README.md}.
 */
public final class RuleTypes {

    public static final String AMOUNT_POSITIVE = "amount-positive";
    public static final String LIMIT = "limit";
    public static final String CARD_STATE = "card-state";
    public static final String CARD_CONTROLS = "card-controls";
    public static final String CARD_FUNDS = "card-funds";
    public static final String CATEGORY = "category";
    public static final String COUNTRY = "country";
    public static final String VELOCITY_COUNT = "velocity-count";
    public static final String VELOCITY_SUM = "velocity-sum";
    public static final String STRUCTURING = "structuring";
    public static final String DISTINCT_COUNT = "distinct-count";
    public static final String LIST = "list";
    public static final String HIGH_RISK_COUNTRY = "high-risk-country";
    public static final String GEO_MISMATCH = "geo-mismatch";
    public static final String OFF_HOURS = "off-hours";
    public static final String AMOUNT_ANOMALY = "amount-anomaly";
    public static final String NEW_DEVICE_LARGE_AMOUNT = "new-device-large-amount";
    public static final String SCORE_THRESHOLDS = "score-thresholds";

    /**
     * The longest sliding window a velocity or distinct-count rule may ask for: the state stores keep
     * their window entries at least this long, so a longer window would silently count too little.
     */
    public static final Duration MAXIMUM_WINDOW = Duration.ofDays(31);

    /**
     * The most UTC days of approved spend an {@code amount-anomaly} rule may average over: the state keeps
     * each account's daily approved totals at least this many days.
     */
    public static final int MAXIMUM_HISTORY_DAYS = 90;

    /** Reads a rule of one type from its spec and parameters; null when the reader refused something. */
    @FunctionalInterface
    interface Factory {
        Rule create(RuleSpec spec, ParameterReader reader);
    }

    private static final Map<String, Factory> FACTORIES;
    private static final Set<String> NAMES;

    static {
        Map<String, Factory> factories = new TreeMap<>();
        factories.put(AMOUNT_POSITIVE, AmountPositiveRule::create);
        factories.put(LIMIT, LimitRule::create);
        factories.put(CARD_STATE, CardStateRule::create);
        factories.put(CARD_CONTROLS, CardControlsRule::create);
        factories.put(CARD_FUNDS, CardFundsRule::create);
        factories.put(CATEGORY, CategoryRule::create);
        factories.put(COUNTRY, CountryRule::create);
        factories.put(VELOCITY_COUNT, VelocityCountRule::create);
        factories.put(VELOCITY_SUM, VelocitySumRule::create);
        factories.put(STRUCTURING, StructuringRule::create);
        factories.put(DISTINCT_COUNT, DistinctCountRule::create);
        factories.put(LIST, ListRule::create);
        factories.put(HIGH_RISK_COUNTRY, HighRiskCountryRule::create);
        factories.put(GEO_MISMATCH, GeoMismatchRule::create);
        factories.put(OFF_HOURS, OffHoursRule::create);
        factories.put(AMOUNT_ANOMALY, AmountAnomalyRule::create);
        factories.put(NEW_DEVICE_LARGE_AMOUNT, NewDeviceLargeAmountRule::create);
        FACTORIES = Collections.unmodifiableMap(factories);
        Set<String> names = new TreeSet<>(factories.keySet());
        names.add(SCORE_THRESHOLDS);
        NAMES = Collections.unmodifiableSet(names);
    }

    private RuleTypes() {
    }

    /** Every type a rule set may name, score-thresholds included, sorted. */
    public static Set<String> names() {
        return NAMES;
    }

    public static boolean isKnown(String type) {
        return NAMES.contains(type);
    }

    static Factory factory(String type) {
        return FACTORIES.get(type);
    }
}
