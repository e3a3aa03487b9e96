package dev.ngao.risk.topology;

import dev.ngao.events.CardEvent;
import dev.ngao.events.SpendingControls;
import dev.ngao.risk.internal.CardRecord;
import dev.ngao.rules.CardState;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Set;

/**
 * Folds {@code cards.events} into the card's state, in order: ISSUED sets everything, FROZEN and UNFROZEN
 * flip the freeze, CONTROLS_SET replaces the controls. A KYC status left out on issuance counts as complete
 * (cards issued before the field existed); NOT_STARTED, PENDING and REJECTED are incomplete.
 */
final class CardFold {

    private static final Set<String> KYC_INCOMPLETE = Set.of("NOT_STARTED", "PENDING", "REJECTED");
    private static final InternalSerde<SpendingControls> CONTROLS = InternalSerde.of(SpendingControls.class);

    private CardFold() {
    }

    /** The card after {@code event}; {@code before} is null for a card not seen yet. */
    static CardRecord apply(CardRecord before, CardEvent event) {
        CardRecord card = before != null ? CardRecord.newBuilder(before).build()
                : CardRecord.newBuilder().setCardId(event.getCardId()).setMerchantId(event.getMerchantId())
                        .setCurrency(event.getCurrency()).build();
        switch (event.getType()) {
            case ISSUED -> {
                card.setMerchantId(event.getMerchantId());
                card.setCurrency(event.getCurrency());
                card.setFrozen(false);
                card.setKycStatus(event.getKycStatus());
                card.setExpiresAtMs(event.getExpiresAt() == null ? null : event.getExpiresAt().toEpochMilli());
                card.setControls(encode(event.getControls()));
            }
            case FROZEN -> card.setFrozen(true);
            case UNFROZEN -> card.setFrozen(false);
            case CONTROLS_SET -> card.setControls(encode(event.getControls()));
            default -> {
                // UNKNOWN: a newer event type this version does not know changes nothing.
            }
        }
        return card;
    }

    static CardState state(CardRecord card) {
        SpendingControls controls = card.getControls() == null ? null : CONTROLS.decode(bytes(card.getControls()));
        boolean kycComplete = card.getKycStatus() == null || !KYC_INCOMPLETE.contains(card.getKycStatus());
        Instant expiresAt = card.getExpiresAtMs() == null ? null : Instant.ofEpochMilli(card.getExpiresAtMs());
        return new CardState(card.getCardId(), card.getMerchantId(), card.getCurrency(), card.getFrozen(),
                kycComplete, expiresAt, controls);
    }

    private static ByteBuffer encode(SpendingControls controls) {
        return controls == null ? null : ByteBuffer.wrap(CONTROLS.encode(controls));
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
