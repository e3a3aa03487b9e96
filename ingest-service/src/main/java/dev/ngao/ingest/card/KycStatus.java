package dev.ngao.ingest.card;

/** Where the merchant's know-your-customer check of a cardholder stands; only VERIFIED cardholders get a card. */
public enum KycStatus {
    NOT_STARTED,
    PENDING,
    REJECTED,
    VERIFIED
}
