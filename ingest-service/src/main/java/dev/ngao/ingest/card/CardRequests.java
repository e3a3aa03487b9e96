package dev.ngao.ingest.card;

import dev.ngao.events.SpendingControls;

/** The card request bodies that passed every rule; amounts in minor units. */
public final class CardRequests {

    private CardRequests() {
    }

    /**
     * @param cardholderReference the merchant's own id of the cardholder; it may be an email or a document, so it
     *                            is hashed before it goes anywhere
     * @param controls            null when none were given
     */
    public record Issue(String cardholderReference, KycStatus kycStatus, String currency, SpendingControls controls) {

        public boolean kycComplete() {
            return kycStatus == KycStatus.VERIFIED;
        }

        @Override
        public String toString() {
            return "Issue[kycStatus=" + kycStatus + ", currency=" + currency + "]";
        }
    }

    public record Load(long amountMinor, String currency, String merchantReference) {
    }

    /** @param reason null when none was given */
    public record StateChange(String reason) {
    }

    /**
     * An authorization request of the card network.
     *
     * @param networkReference the network's own id of the authorization, kept as the merchant reference
     */
    public record Authorization(String cardId, long amountMinor, String currency, String merchantCategoryCode,
                                String merchantCountry, String networkReference) {
    }
}
