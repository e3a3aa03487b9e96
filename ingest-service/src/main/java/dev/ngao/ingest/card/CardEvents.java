package dev.ngao.ingest.card;

import dev.ngao.events.AccountKind;
import dev.ngao.events.CardDetails;
import dev.ngao.events.CardEvent;
import dev.ngao.events.CardEventType;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.SpendingControls;
import dev.ngao.ingest.pii.PersonalData;
import dev.ngao.platform.pii.PiiProtector;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Turns valid card requests into events: {@link CardEvent}s for the card's own life, {@link PaymentRequest}s
 * (keyed by the card id, the account whose limits they consume) for money. No card number exists here:
 * virtual card numbers are not issued by Ngao, and the card is known only by its id.
 */
public final class CardEvents {

    public static final String CARD_ID_PREFIX = "card_";
    /** The provider adapter that moves money onto issued cards. */
    public static final String ISSUING_PROVIDER = "card-issuing";
    /** The provider adapter that carries authorizations from the card network. */
    public static final String NETWORK_PROVIDER = "card-network";

    private final PiiProtector piiProtector;
    private final CardValidity validity;
    private final Clock clock;

    public CardEvents(PiiProtector piiProtector, CardValidity validity, Clock clock) {
        this.piiProtector = piiProtector;
        this.validity = validity;
        this.clock = clock;
    }

    /** card_ then 32 hex digits of a random UUID (122 random bits from a SecureRandom). */
    public static String newCardId() {
        return CARD_ID_PREFIX + UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * The issuance, with the cardholder's KYC status and the card's expiry (see {@link CardValidity}), which
     * risk-streams' card-state rule checks on every authorization.
     */
    public CardEvent issued(String cardId, CardRequests.Issue request, String merchantId, String apiKeyId) {
        Instant occurredAt = now();
        return CardEvent.newBuilder()
                .setEventId(newEventId())
                .setType(CardEventType.ISSUED)
                .setCardId(cardId)
                .setMerchantId(merchantId)
                .setCardholderHash(piiProtector.hash(PersonalData.CARDHOLDER, merchantId + "/" + request.cardholderReference()))
                .setCurrency(request.currency())
                .setControls(request.controls())
                .setApiKeyId(apiKeyId)
                .setOccurredAt(occurredAt)
                .setKycStatus(request.kycStatus().name())
                .setExpiresAt(validity.expiresAt(occurredAt))
                .build();
    }

    /** FROZEN, UNFROZEN or CONTROLS_SET of a known card; {@code controls} only for CONTROLS_SET. */
    public CardEvent changed(CardEventType type, CardDirectory.Card card, SpendingControls controls, String reason,
                             String apiKeyId) {
        return CardEvent.newBuilder()
                .setEventId(newEventId())
                .setType(type)
                .setCardId(card.cardId())
                .setMerchantId(card.merchantId())
                .setCardholderHash(card.cardholderHash())
                .setCurrency(card.currency())
                .setControls(controls)
                .setReason(reason)
                .setApiKeyId(apiKeyId)
                .setOccurredAt(now())
                .build();
    }

    public PaymentRequest load(String transactionId, CardDirectory.Card card, CardRequests.Load request,
                               String apiKeyId) {
        return cardRequest(transactionId, PaymentType.CARD_LOAD, card, request.amountMinor(), ISSUING_PROVIDER,
                request.merchantReference(), apiKeyId)
                .setCard(new CardDetails(card.cardId(), null, null))
                .build();
    }

    public PaymentRequest authorization(String transactionId, CardDirectory.Card card,
                                        CardRequests.Authorization request, String apiKeyId) {
        return cardRequest(transactionId, PaymentType.CARD_AUTHORIZATION, card, request.amountMinor(),
                NETWORK_PROVIDER, request.networkReference(), apiKeyId)
                .setCountry(request.merchantCountry())
                .setCard(new CardDetails(card.cardId(), request.merchantCategoryCode(), request.merchantCountry()))
                .build();
    }

    private PaymentRequest.Builder cardRequest(String transactionId, PaymentType type, CardDirectory.Card card,
                                               long amountMinor, String provider, String merchantReference,
                                               String apiKeyId) {
        return PaymentRequest.newBuilder()
                .setTransactionId(transactionId)
                .setType(type)
                .setMerchantId(card.merchantId())
                .setMerchantReference(merchantReference)
                .setAccountKind(AccountKind.CARD)
                .setAccountId(card.cardId())
                .setAmount(new Money(amountMinor, card.currency()))
                .setProvider(provider)
                .setApiKeyId(apiKeyId)
                .setRequestedAt(now());
    }

    private static String newEventId() {
        return "cev_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Avro keeps milliseconds; truncating here keeps the events and the views in agreement. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
