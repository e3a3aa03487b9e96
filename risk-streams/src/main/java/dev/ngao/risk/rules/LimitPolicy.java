package dev.ngao.risk.rules;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The limits risk-streams enforces, per ISO-4217 currency in minor units, and the version of the rule
 * set they belong to (written into every decision reason). A currency absent from a map has no limit
 * of that kind, and requests in it are declined: the policy fails closed.
 */
public record LimitPolicy(String ruleSetVersion,
                          Map<String, Long> perTransactionLimitsMinor,
                          Map<String, Long> dailyLimitsMinor) {

    public LimitPolicy {
        Objects.requireNonNull(ruleSetVersion, "ruleSetVersion");
        if (ruleSetVersion.isBlank()) {
            throw new IllegalArgumentException("ruleSetVersion must not be blank");
        }
        perTransactionLimitsMinor = positiveCopy(perTransactionLimitsMinor, "per-transaction");
        dailyLimitsMinor = positiveCopy(dailyLimitsMinor, "daily");
    }

    public OptionalLong perTransactionLimitMinor(String currency) {
        Long limit = perTransactionLimitsMinor.get(currency);
        return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
    }

    public OptionalLong dailyLimitMinor(String currency) {
        Long limit = dailyLimitsMinor.get(currency);
        return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
    }

    private static Map<String, Long> positiveCopy(Map<String, Long> limits, String kind) {
        Objects.requireNonNull(limits, kind + " limits");
        limits.forEach((currency, limit) -> {
            if (limit == null || limit <= 0) {
                throw new IllegalArgumentException(kind + " limit of " + currency + " must be positive");
            }
        });
        return Map.copyOf(limits);
    }
}
