package dev.ngao.ingest.card;

import dev.ngao.events.SpendingControls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Cards as the API shows them: no cardholder reference, no card number, controls as they were set. */
final class CardJson {

    private CardJson() {
    }

    static JsonObject card(CardDirectory.Card card) {
        JsonObject json = new JsonObject()
                .put("cardId", card.cardId())
                .put("status", card.frozen() ? "FROZEN" : "ACTIVE")
                .put("currency", card.currency())
                .put("issuedAt", card.issuedAt().toString());
        if (card.expiresAt() != null) {
            json.put("expiresAt", card.expiresAt().toString());
        }
        if (card.controls() != null) {
            json.put("spendingControls", controls(card.controls()));
        }
        return json.put("links", new JsonObject().put("self", CardRoutes.CARDS_PATH + "/" + card.cardId()));
    }

    static JsonObject controls(SpendingControls controls) {
        JsonArray limits = new JsonArray();
        controls.getLimits().forEach(limit -> limits.add(new JsonObject()
                .put(SpendingControlsValidator.INTERVAL, limit.getInterval().name())
                .put(SpendingControlsValidator.AMOUNT_MINOR, limit.getAmountMinor())));
        return new JsonObject()
                .put(SpendingControlsValidator.SPENDING_LIMITS, limits)
                .put(SpendingControlsValidator.ALLOWED_CATEGORIES, new JsonArray(controls.getAllowedCategories()))
                .put(SpendingControlsValidator.BLOCKED_CATEGORIES, new JsonArray(controls.getBlockedCategories()))
                .put(SpendingControlsValidator.ALLOWED_COUNTRIES, new JsonArray(controls.getAllowedCountries()))
                .put(SpendingControlsValidator.BLOCKED_COUNTRIES, new JsonArray(controls.getBlockedCountries()));
    }
}
