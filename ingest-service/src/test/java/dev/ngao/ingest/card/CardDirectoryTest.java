package dev.ngao.ingest.card;

import dev.ngao.ingest.state.SharedTestStateStores;
import dev.ngao.events.CardEvent;
import dev.ngao.events.CardEventType;
import dev.ngao.events.SpendingControls;
import dev.ngao.events.SpendingInterval;
import dev.ngao.events.SpendingLimit;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CardDirectoryTest {

    private final CardDirectory directory = new CardDirectory(SharedTestStateStores.get(), 2);

    @Test
    void shouldFoldIssuanceFreezeAndControlsWhenEventsArriveInOrder() {
        directory.record(event("card_1", CardEventType.ISSUED, null));
        directory.record(event("card_1", CardEventType.FROZEN, null));
        SpendingControls controls = new SpendingControls(List.of(new SpendingLimit(SpendingInterval.DAILY, 500L)),
                List.of(), List.of(), List.of(), List.of());
        directory.record(event("card_1", CardEventType.CONTROLS_SET, controls));

        CardDirectory.Card card = directory.find("card_1", "merchant-a").orElseThrow();
        assertThat(card.frozen()).isTrue();
        assertThat(card.controls()).isEqualTo(controls);
        assertThat(card.currency()).isEqualTo("PEN");

        directory.record(event("card_1", CardEventType.UNFROZEN, null));
        assertThat(directory.find("card_1", "merchant-a").orElseThrow().frozen()).isFalse();
    }

    @Test
    void shouldNotFindCardWhenItBelongsToAnotherMerchant() {
        directory.record(event("card_1", CardEventType.ISSUED, null));

        assertThat(directory.find("card_1", "merchant-b")).isEmpty();
    }

    @Test
    void shouldKeepStateWhenIssuanceIsReadBackAfterALaterChange() {
        // Given a freeze the handler recorded before the reader read the issuance back
        directory.record(event("card_1", CardEventType.ISSUED, null));
        directory.record(event("card_1", CardEventType.FROZEN, null));

        // When the issuance is read back from Kafka
        directory.record(event("card_1", CardEventType.ISSUED, null));

        // Then it does not unfreeze the card
        assertThat(directory.find("card_1", "merchant-a").orElseThrow().frozen()).isTrue();
    }

    @Test
    void shouldIgnoreChangeWhenCardIsUnknownAndEvictOldestBeyondBound() {
        directory.record(event("card_0", CardEventType.FROZEN, null));
        assertThat(directory.size()).isZero();

        directory.record(event("card_1", CardEventType.ISSUED, null));
        directory.record(event("card_2", CardEventType.ISSUED, null));
        directory.record(event("card_3", CardEventType.ISSUED, null));

        assertThat(directory.size()).isEqualTo(2);
        assertThat(directory.find("card_1", "merchant-a")).isEmpty();
        assertThat(directory.find("card_3", "merchant-a")).isPresent();
    }

    private static CardEvent event(String cardId, CardEventType type, SpendingControls controls) {
        return CardEvent.newBuilder()
                .setEventId("cev_" + type + cardId)
                .setType(type)
                .setCardId(cardId)
                .setMerchantId("merchant-a")
                .setCardholderHash("cardholder:0011")
                .setCurrency("PEN")
                .setControls(controls)
                .setApiKeyId("key-a")
                .setOccurredAt(Instant.parse("2026-03-01T10:00:00Z"))
                .build();
    }
}
