package dev.ngao.ingest.card;

import dev.ngao.events.CardEvent;
import dev.ngao.events.CardEventType;
import dev.ngao.events.SpendingControls;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cards issued through Ngao, as the card routes need them: who owns a card, its currency, whether it is
 * frozen and its controls. A cache rebuilt at every start from {@code cards.events} (every event of a card
 * is kept there), and fed by the handlers with their own events so a card can be used right after its
 * {@code 201}. Bounded: beyond {@code maxEntries} the cards issued longest ago are forgotten and answer 404.
 *
 * <p>Owner, currency and cardholder never change, so an issuance read back after a later event of the same
 * card is ignored; frozen and controls follow the last event applied, and are eventually right once the
 * reader caught up with the handlers. Thread-safe.
 */
public final class CardDirectory {

    /**
     * What the card routes know of one card. Holds no cardholder reference, only its keyed hash.
     *
     * @param expiresAt null for a card issued before issuances carried their expiry
     */
    public record Card(String cardId, String merchantId, String cardholderHash, String currency, boolean frozen,
                       SpendingControls controls, Instant issuedAt, Instant expiresAt) {
    }

    private final Map<String, Card> cards;

    public CardDirectory(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.cards = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Card> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public synchronized void record(CardEvent event) {
        String cardId = event.getCardId();
        Card known = cards.get(cardId);
        if (event.getType() == CardEventType.ISSUED) {
            if (known == null) {
                cards.put(cardId, new Card(cardId, event.getMerchantId(), event.getCardholderHash(),
                        event.getCurrency(), false, event.getControls(), event.getOccurredAt(), event.getExpiresAt()));
            }
            return;
        }
        if (known == null) {
            // A change of a card whose issuance was evicted or not read yet: nothing to apply it to.
            return;
        }
        cards.put(cardId, switch (event.getType()) {
            case FROZEN -> withFrozen(known, true);
            case UNFROZEN -> withFrozen(known, false);
            case CONTROLS_SET -> new Card(known.cardId(), known.merchantId(), known.cardholderHash(), known.currency(),
                    known.frozen(), event.getControls(), known.issuedAt(), known.expiresAt());
            default -> known;
        });
    }

    private static Card withFrozen(Card card, boolean frozen) {
        return new Card(card.cardId(), card.merchantId(), card.cardholderHash(), card.currency(), frozen,
                card.controls(), card.issuedAt(), card.expiresAt());
    }

    /** The card {@code cardId} if it belongs to {@code merchantId}; another merchant's card is not found either. */
    public synchronized Optional<Card> find(String cardId, String merchantId) {
        return Optional.ofNullable(cards.get(cardId)).filter(card -> card.merchantId().equals(merchantId));
    }

    public synchronized int size() {
        return cards.size();
    }
}
