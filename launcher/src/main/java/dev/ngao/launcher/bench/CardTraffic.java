package dev.ngao.launcher.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The cards and authorizations of {@code ./ngao bench-cards}, drawn from a seeded random source (the same seed
 * gives the same traffic). Cards: 80 % in KES (Kenya), 20 % in PEN (Peru), all KYC-verified; 15 % carry a
 * per-authorization limit of their own and 10 % block bars and liquor stores. Authorizations: mostly everyday
 * purchases at home (log-normal amounts around 800 KES or 25 PEN), with the variety that makes rules match:
 * 1 % above the shipped per-transaction limit, 0.5 % in the band the demo rule set sends to review (KES), about
 * 3 % in categories the catalogue blocks, some abroad and a few in a high-risk country, and 3 % from a handful
 * of hot cards that run into the attempts-per-minute rule. Not thread-safe: one generator per thread.
 */
final class CardTraffic {

    /** An issued card as the API described it. */
    record Card(String cardId, String currency) {
    }

    /** One authorization to send; {@link #json()} is its body. */
    record Authorization(String cardId, long amountMinor, String currency, String merchantCategoryCode,
                         String merchantCountry, String networkReference) {

        JsonObject json() {
            return new JsonObject()
                    .put("cardId", cardId)
                    .put("amount", decimal(amountMinor, currency))
                    .put("currency", currency)
                    .put("merchantCategoryCode", merchantCategoryCode)
                    .put("merchantCountry", merchantCountry)
                    .put("networkReference", networkReference);
        }
    }

    /** The shipped catalogue's per-transaction limits (risk-streams/rulesets/default.yaml), minor units. */
    static final Map<String, Long> PER_TRANSACTION_LIMIT_MINOR = Map.of("KES", 15_000_000L, "PEN", 500_000L);
    /** The demo rule set reviews KES payments above this (large-payment-review). */
    static final long KES_REVIEW_ABOVE_MINOR = 10_000_000L;
    /** Categories the catalogue blocks on cards (card-blocked-categories): betting, quasi-cash, money transfer. */
    static final List<String> BLOCKED_CATEGORIES = List.of("7995", "6051", "4829");
    /** Categories a card's own controls block, when it has them. */
    static final List<String> CARD_BLOCKED_CATEGORIES = List.of("5813", "5921");
    static final double ABOVE_LIMIT_SHARE = 0.01;
    static final double REVIEW_BAND_SHARE = 0.005;
    static final double HOT_CARD_SHARE = 0.03;
    static final int MOST_HOT_CARDS = 10;

    private static final Map<String, Long> MEDIAN_AMOUNT_MINOR = Map.of("KES", 80_000L, "PEN", 2_500L);
    private static final Map<String, Long> EVERYDAY_MAXIMUM_MINOR = Map.of("KES", 5_000_000L, "PEN", 150_000L);
    private static final long MINIMUM_AMOUNT_MINOR = 100;
    private static final Map<String, Long> CARD_LIMIT_MINOR = Map.of("KES", 500_000L, "PEN", 15_000L);
    private static final Map<String, String> HOME_COUNTRY = Map.of("KES", "KE", "PEN", "PE");
    private static final double AMOUNT_SIGMA = 1.0;
    /** Everyday categories, each listed as often as its weight: groceries, restaurants, fuel, transit... */
    private static final List<String> EVERYDAY_CATEGORIES = List.of(
            "5411", "5411", "5411", "5411", "5411", "5812", "5812", "5812", "5541", "5541", "5541",
            "4111", "4111", "5912", "5912", "5999", "5999", "4814", "4814", "5814", "5814", "5732", "5813");
    private static final List<String> FOREIGN_COUNTRIES = List.of("US", "GB", "ZA", "AE", "CN", "TZ", "UG");
    private static final String HIGH_RISK_COUNTRY = "IR";

    private final SplittableRandom random;

    CardTraffic(SplittableRandom random) {
        this.random = random;
    }

    /** The body of {@code POST /v1/cards} for one more card of cardholder {@code holderReference}. */
    JsonObject cardToIssue(String holderReference) {
        JsonObject body = new JsonObject()
                .put("cardholderReference", holderReference)
                .put("kycStatus", "VERIFIED")
                .put("currency", random.nextDouble() < 0.8 ? "KES" : "PEN");
        double controls = random.nextDouble();
        if (controls < 0.15) {
            body.put("spendingControls", new JsonObject().put("spendingLimits", new JsonArray().add(new JsonObject()
                    .put("interval", "PER_AUTHORIZATION")
                    .put("amountMinor", CARD_LIMIT_MINOR.get(body.getString("currency"))))));
        } else if (controls < 0.25) {
            body.put("spendingControls", new JsonObject()
                    .put("blockedCategories", new JsonArray(CARD_BLOCKED_CATEGORIES)));
        }
        return body;
    }

    /** The next authorization, on one of {@code cards} (not empty), named {@code networkReference}. */
    Authorization next(List<Card> cards, String networkReference) {
        if (cards.isEmpty()) {
            throw new IllegalArgumentException("no cards to authorize on");
        }
        Card card = cards.get(random.nextInt(random.nextDouble() < HOT_CARD_SHARE ? hotCards(cards.size())
                : cards.size()));
        return new Authorization(card.cardId(), amountMinor(card.currency()), card.currency(), category(),
                country(card.currency()), networkReference);
    }

    /** The first few cards take the hot share: at most 10, one per hundred cards, at least one. */
    static int hotCards(int cardCount) {
        return Math.max(1, Math.min(MOST_HOT_CARDS, cardCount / 100));
    }

    private long amountMinor(String currency) {
        long limit = PER_TRANSACTION_LIMIT_MINOR.get(currency);
        double draw = random.nextDouble();
        if (draw < ABOVE_LIMIT_SHARE) {
            return limit + 1 + random.nextLong(limit);
        }
        if (draw < ABOVE_LIMIT_SHARE + REVIEW_BAND_SHARE && currency.equals("KES")) {
            return KES_REVIEW_ABOVE_MINOR + 1 + random.nextLong(limit - KES_REVIEW_ABOVE_MINOR);
        }
        long amount = Math.round(MEDIAN_AMOUNT_MINOR.get(currency) * Math.exp(AMOUNT_SIGMA * gaussian()));
        // Everyday purchases stay well below the review band: the shares above are the only large ones.
        return Math.max(MINIMUM_AMOUNT_MINOR, Math.min(amount, EVERYDAY_MAXIMUM_MINOR.get(currency)));
    }

    private String category() {
        double draw = random.nextDouble();
        if (draw < 0.015) {
            return BLOCKED_CATEGORIES.get(0);
        }
        if (draw < 0.025) {
            return BLOCKED_CATEGORIES.get(1);
        }
        if (draw < 0.03) {
            return BLOCKED_CATEGORIES.get(2);
        }
        return EVERYDAY_CATEGORIES.get(random.nextInt(EVERYDAY_CATEGORIES.size()));
    }

    private String country(String currency) {
        double draw = random.nextDouble();
        if (draw < 0.002) {
            return HIGH_RISK_COUNTRY;
        }
        if (draw < 0.08) {
            return FOREIGN_COUNTRIES.get(random.nextInt(FOREIGN_COUNTRIES.size()));
        }
        return HOME_COUNTRY.get(currency);
    }

    /** A standard normal draw (Box-Muller); SplittableRandom has none. */
    private double gaussian() {
        double uniform = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(uniform)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** Minor units as the API's decimal string in {@code currency}: 80000 KES is "800.00". */
    static String decimal(long amountMinor, String currency) {
        return BigDecimal.valueOf(amountMinor, Currency.getInstance(currency).getDefaultFractionDigits())
                .toPlainString();
    }
}
