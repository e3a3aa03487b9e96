package dev.ngao.ingest.card;

import dev.ngao.events.CardEvent;
import dev.ngao.events.CardEventType;
import dev.ngao.events.SpendingControls;
import dev.ngao.ingest.state.IngestStateStores;
import dev.ngao.ingest.state.InsertionOrderedStore;
import dev.ngao.ingest.state.JsonValues;
import dev.ngao.platform.rocksdb.RocksCodec;
import dev.ngao.platform.rocksdb.RocksStore;

import java.time.Instant;
import java.util.Optional;

/**
 * The cards issued through Ngao, as the card routes need them: who owns a card, its currency, whether it is
 * frozen and its controls. A cache rebuilt at every start from {@code cards.events} (every event of a card
 * is kept there) into an empty RocksDB store among ingest's state stores (off the Java heap), and fed by the
 * handlers with their own events so a card can be used right after its {@code 201}. Bounded: beyond
 * {@code maxEntries} the cards issued longest ago are forgotten and answer 404.
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

    /** A card as stored: its controls in Avro's single-object encoding, null when it has none. */
    record StoredCard(String cardId, String merchantId, String cardholderHash, String currency,
                              boolean frozen, byte[] controls, Instant issuedAt, Instant expiresAt) {

        static StoredCard of(Card card) {
            return new StoredCard(card.cardId(), card.merchantId(), card.cardholderHash(), card.currency(),
                    card.frozen(), card.controls() == null ? null
                    : RocksCodec.toAvro(card.controls(), SpendingControls::toByteBuffer),
                    card.issuedAt(), card.expiresAt());
        }

        Card card() {
            return new Card(cardId, merchantId, cardholderHash, currency, frozen, controls == null ? null
                    : RocksCodec.fromAvro(controls, SpendingControls::fromByteBuffer), issuedAt, expiresAt);
        }
    }

    private static final String CARDS = "cards";

    private final InsertionOrderedStore cards;

    /** An empty directory in a store of its own among {@code stores}, closed with them. */
    public CardDirectory(IngestStateStores stores, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        RocksStore rocks = stores.open("card-directory", InsertionOrderedStore.families(CARDS),
                IllegalStateException::new);
        this.cards = InsertionOrderedStore.in(stores, rocks, CARDS, maxEntries);
    }

    private Card get(String cardId) {
        StoredCard stored = JsonValues.read(cards.get(RocksCodec.utf8(cardId)), StoredCard.class);
        return stored == null ? null : stored.card();
    }

    private void put(Card card) {
        cards.put(RocksCodec.utf8(card.cardId()), JsonValues.write(StoredCard.of(card)));
    }

    public synchronized void record(CardEvent event) {
        String cardId = event.getCardId();
        Card known = get(cardId);
        if (event.getType() == CardEventType.ISSUED) {
            if (known == null) {
                put(new Card(cardId, event.getMerchantId(), event.getCardholderHash(),
                        event.getCurrency(), false, event.getControls(), event.getOccurredAt(), event.getExpiresAt()));
            }
            return;
        }
        if (known == null) {
            // A change of a card whose issuance was evicted or not read yet: nothing to apply it to.
            return;
        }
        put(switch (event.getType()) {
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
    public Optional<Card> find(String cardId, String merchantId) {
        return Optional.ofNullable(get(cardId)).filter(card -> card.merchantId().equals(merchantId));
    }

    public int size() {
        return (int) cards.size();
    }
}
