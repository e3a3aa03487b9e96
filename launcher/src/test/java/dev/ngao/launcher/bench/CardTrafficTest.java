package dev.ngao.launcher.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The card traffic of bench-cards: the variety that makes the catalogue's rules match, in the shares it says. */
class CardTrafficTest {

    private static final int DRAWS = 100_000;

    @Test
    void shouldDrawTheSameTrafficWhenTheSeedIsTheSame() {
        List<CardTraffic.Card> cards = cards(500);

        List<CardTraffic.Authorization> first = draw(new CardTraffic(new SplittableRandom(7)), cards, 1_000);
        List<CardTraffic.Authorization> second = draw(new CardTraffic(new SplittableRandom(7)), cards, 1_000);

        assertThat(first).isEqualTo(second);
    }

    @Test
    void shouldSendAboutOnePercentAboveThePerTransactionLimitWhenDrawingManyAuthorizations() {
        // Given KES and PEN cards
        List<CardTraffic.Authorization> drawn = draw(new CardTraffic(new SplittableRandom(1)), cards(1_000), DRAWS);

        // Then about 1 % exceed the shipped per-transaction limit, at most twice it, and every amount is positive
        long above = drawn.stream().filter(authorization -> authorization.amountMinor()
                > CardTraffic.PER_TRANSACTION_LIMIT_MINOR.get(authorization.currency())).count();
        assertThat((double) above / DRAWS).isCloseTo(CardTraffic.ABOVE_LIMIT_SHARE, within(0.002));
        assertThat(drawn).allSatisfy(authorization -> assertThat(authorization.amountMinor()).isPositive()
                .isLessThanOrEqualTo(2 * CardTraffic.PER_TRANSACTION_LIMIT_MINOR.get(authorization.currency())));
        // And the KES review band (above 100,000 KES, within the limit) gets its half percent of KES authorizations
        List<CardTraffic.Authorization> kes = drawn.stream().filter(a -> a.currency().equals("KES")).toList();
        long reviewBand = kes.stream().filter(a -> a.amountMinor() > CardTraffic.KES_REVIEW_ABOVE_MINOR
                && a.amountMinor() <= CardTraffic.PER_TRANSACTION_LIMIT_MINOR.get("KES")).count();
        assertThat((double) reviewBand / kes.size()).isCloseTo(CardTraffic.REVIEW_BAND_SHARE, within(0.002));
    }

    @Test
    void shouldSendTheHotCardsTheirShareWhenThereAreManyCards() {
        // Given 1,000 cards: the first 10 are hot
        List<CardTraffic.Card> cards = cards(1_000);
        assertThat(CardTraffic.hotCards(cards.size())).isEqualTo(10);

        List<CardTraffic.Authorization> drawn = draw(new CardTraffic(new SplittableRandom(2)), cards, DRAWS);

        // Then they take the hot share plus their uniform part: each about four times an ordinary card's traffic
        long onHotCards = drawn.stream().filter(a -> Integer.parseInt(a.cardId().substring(5)) < 10).count();
        double expected = CardTraffic.HOT_CARD_SHARE + (1 - CardTraffic.HOT_CARD_SHARE) * 10 / 1_000;
        assertThat((double) onHotCards / DRAWS).isCloseTo(expected, within(0.003));
    }

    @Test
    void shouldUseCategoriesTheCatalogueBlocksAndCountriesAbroadWhenDrawingManyAuthorizations() {
        List<CardTraffic.Authorization> drawn = draw(new CardTraffic(new SplittableRandom(3)), cards(1_000), DRAWS);

        long blocked = drawn.stream()
                .filter(a -> CardTraffic.BLOCKED_CATEGORIES.contains(a.merchantCategoryCode())).count();
        assertThat((double) blocked / DRAWS).isCloseTo(0.03, within(0.003));
        long abroad = drawn.stream().filter(a -> !a.merchantCountry().equals(a.currency().equals("KES") ? "KE" : "PE"))
                .count();
        assertThat((double) abroad / DRAWS).isCloseTo(0.08, within(0.004));
        assertThat(drawn).extracting(CardTraffic.Authorization::merchantCategoryCode).allMatch(code -> code
                .matches("[0-9]{4}"));
    }

    @Test
    void shouldWriteTheBodyTheApiTakesWhenAnAuthorizationIsDrawn() {
        CardTraffic.Authorization authorization = new CardTraffic(new SplittableRandom(4))
                .next(List.of(new CardTraffic.Card("card_0", "PEN")), "p1-7");

        JsonObject json = authorization.json();

        assertThat(json.fieldNames()).containsExactlyInAnyOrder("cardId", "amount", "currency",
                "merchantCategoryCode", "merchantCountry", "networkReference");
        assertThat(json.getValue("amount")).isInstanceOf(String.class);
        assertThat(new BigDecimal(json.getString("amount")).movePointRight(2).longValueExact())
                .isEqualTo(authorization.amountMinor());
        assertThat(json.getString("networkReference")).isEqualTo("p1-7");
        assertThat(CardTraffic.decimal(80_000, "KES")).isEqualTo("800.00");
        assertThat(CardTraffic.decimal(5, "PEN")).isEqualTo("0.05");
    }

    @Test
    void shouldIssueVerifiedCardsMostlyInKesSomeWithControlsWhenIssuingMany() {
        CardTraffic traffic = new CardTraffic(new SplittableRandom(5));

        List<JsonObject> issued = IntStream.range(0, 10_000).mapToObj(index -> traffic.cardToIssue("holder-" + index))
                .toList();

        assertThat(issued).allMatch(body -> body.getString("kycStatus").equals("VERIFIED"));
        assertThat(issued.stream().filter(body -> body.getString("currency").equals("KES")).count() / 10_000.0)
                .isCloseTo(0.8, within(0.02));
        assertThat(issued.stream().filter(body -> body.containsKey("spendingControls")).count() / 10_000.0)
                .isCloseTo(0.25, within(0.02));
    }

    @Test
    void shouldRefuseToDrawWhenThereAreNoCards() {
        CardTraffic traffic = new CardTraffic(new SplittableRandom(6));

        assertThatThrownBy(() -> traffic.next(List.of(), "p1-1")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Cards card_0, card_1...: 80 % KES, the rest PEN. */
    private static List<CardTraffic.Card> cards(int count) {
        return IntStream.range(0, count)
                .mapToObj(index -> new CardTraffic.Card("card_" + index, index % 5 == 4 ? "PEN" : "KES")).toList();
    }

    private static List<CardTraffic.Authorization> draw(CardTraffic traffic, List<CardTraffic.Card> cards, int count) {
        List<CardTraffic.Authorization> drawn = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            drawn.add(traffic.next(cards, "p1-" + index));
        }
        return drawn;
    }
}
