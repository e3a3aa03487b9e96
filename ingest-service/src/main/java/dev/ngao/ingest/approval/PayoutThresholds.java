package dev.ngao.ingest.approval;

import dev.ngao.platform.auth.ApiKey;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The payout amounts above which a payout waits for a second person's approval, per merchant and currency,
 * from {@code NGAO_INGEST_APPROVALS_PAYOUT_THRESHOLDS}: comma-separated {@code merchant:CURRENCY:amountMinor}
 * entries, {@code *} as the merchant for every merchant without an entry of its own in that currency; e.g.
 * {@code *:KES:10000000,merchant-demo:KES:500000,*:UGX:5000000}. A payout of a currency no entry names is
 * never held. Amounts are minor units of their currency; a payout equal to its threshold passes.
 */
public final class PayoutThresholds {

    public static final String ANY_MERCHANT = "*";
    public static final PayoutThresholds NONE = new PayoutThresholds(Map.of());

    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final Map<String, Long> thresholds;

    private PayoutThresholds(Map<String, Long> thresholds) {
        this.thresholds = Map.copyOf(thresholds);
    }

    /** Reads the entries; throws IllegalArgumentException naming the first malformed one. */
    public static PayoutThresholds parse(List<String> entries) {
        Map<String, Long> thresholds = new HashMap<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String[] parts = entry.split(":", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("'" + entry + "' is not merchant:CURRENCY:amountMinor");
            }
            String merchant = parts[0];
            if (!merchant.equals(ANY_MERCHANT) && !ApiKey.IDENTIFIER.matcher(merchant).matches()) {
                throw new IllegalArgumentException("'" + entry + "': the merchant must be * or a merchant id");
            }
            if (!CURRENCY.matcher(parts[1]).matches()) {
                throw new IllegalArgumentException("'" + entry + "': the currency must be an ISO-4217 code");
            }
            long amountMinor;
            try {
                amountMinor = Long.parseLong(parts[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + entry + "': the amount must be whole minor units");
            }
            if (amountMinor < 0) {
                throw new IllegalArgumentException("'" + entry + "': the amount must not be negative");
            }
            if (thresholds.put(key(merchant, parts[1]), amountMinor) != null) {
                throw new IllegalArgumentException("'" + entry + "': merchant and currency named twice");
            }
        }
        return new PayoutThresholds(thresholds);
    }

    /** The threshold of {@code merchantId}'s payouts in {@code currency}: its own, else every merchant's. */
    public Optional<Long> threshold(String merchantId, String currency) {
        Long own = thresholds.get(key(merchantId, currency));
        return Optional.ofNullable(own != null ? own : thresholds.get(key(ANY_MERCHANT, currency)));
    }

    /** Whether a payout of {@code amountMinor} waits for approval: above its threshold. */
    public boolean holds(String merchantId, String currency, long amountMinor) {
        return threshold(merchantId, currency).map(threshold -> amountMinor > threshold).orElse(false);
    }

    public boolean isEmpty() {
        return thresholds.isEmpty();
    }

    private static String key(String merchant, String currency) {
        return merchant + ":" + currency;
    }
}
