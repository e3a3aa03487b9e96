package dev.ngao.launcher.bench;

import dev.ngao.ingest.card.CardRequestValidator;
import dev.ngao.ingest.http.Validation;
import dev.ngao.ingest.payment.PaymentRequestValidator;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What bench-cards sends to fund the demo merchant and load its cards, before the run. */
class CardFundingTest {

    @Test
    void shouldNeedEveryCardsLoadByCurrencyWhenCardsAreGiven() {
        List<CardTraffic.Card> cards = List.of(new CardTraffic.Card("card_0", "KES"),
                new CardTraffic.Card("card_1", "KES"), new CardTraffic.Card("card_2", "PEN"));

        assertThat(CardFunding.neededMinor(cards)).containsExactly(
                org.assertj.core.api.Assertions.entry("KES", 2 * CardFunding.LOAD_MINOR.get("KES")),
                org.assertj.core.api.Assertions.entry("PEN", CardFunding.LOAD_MINOR.get("PEN")));
    }

    @Test
    void shouldSendEnoughCollectionsForWhatIsShortWhenSomeFail() {
        // 72,000.00 KES confirmed per 90,000.00 KES collection sent, as the margin for the sandbox's failures
        assertThat(CardFunding.collectionsFor(7_200_000L, "KES")).isEqualTo(1);
        assertThat(CardFunding.collectionsFor(7_200_001L, "KES")).isEqualTo(2);
        assertThat(CardFunding.collectionsFor(1L, "PEN")).isEqualTo(1);
        assertThat(CardFunding.collectionsFor(24_000_000L, "KES") * CardFunding.COLLECTION_MINOR.get("KES")
                * CardFunding.EXPECTED_CONFIRMED_SHARE).isGreaterThanOrEqualTo(24_000_000.0);
    }

    @Test
    void shouldWriteCollectionsAndLoadsTheApiAcceptsWhenFunding() {
        JsonObject collection = CardFunding.collection("PEN", 7);
        JsonObject otherWallet = CardFunding.collection("PEN", 8);
        JsonObject load = CardFunding.load(new CardTraffic.Card("card_0", "KES"), 9);

        assertThat(new PaymentRequestValidator().validate(collection.getMap()))
                .isInstanceOf(PaymentRequestValidator.Valid.class);
        assertThat(otherWallet.getString("msisdn")).isNotEqualTo(collection.getString("msisdn"));
        assertThat(new CardRequestValidator().validateLoad(load.getMap(), "KES")).isInstanceOf(Validation.Valid.class);
        assertThat(load.getString("amount")).isEqualTo("20000.00");
    }

    @Test
    void shouldStayWithinTheDemoRuleSetsLimitsAndOutOfItsReviewBandWhenFunding() {
        for (String currency : List.of("KES", "PEN")) {
            long perTransaction = CardTraffic.PER_TRANSACTION_LIMIT_MINOR.get(currency);
            assertThat(CardFunding.COLLECTION_MINOR.get(currency)).isLessThanOrEqualTo(perTransaction);
            assertThat(CardFunding.LOAD_MINOR.get(currency)).isLessThanOrEqualTo(perTransaction);
        }
        assertThat(CardFunding.COLLECTION_MINOR.get("KES")).isLessThanOrEqualTo(CardTraffic.KES_REVIEW_ABOVE_MINOR);
        assertThat(CardFunding.LOAD_MINOR.get("KES")).isLessThanOrEqualTo(CardTraffic.KES_REVIEW_ABOVE_MINOR);
    }
}
