package dev.ngao.rules;

import dev.ngao.events.PaymentRequest;

import java.util.Locale;
import java.util.Optional;

/** Whose country a geo rule reads: the payer's declared one, the card merchant's, or the IP's. */
public enum CountrySource {
    /** {@code request.country}: the payer's or wallet's declared country. */
    PAYER("country"),
    /** {@code request.card.merchantCountry}: where the card is used. */
    MERCHANT("merchant country"),
    /** {@code request.signals.ipCountry}: where the merchant located the payer's IP. */
    IP("IP country");

    private final String label;

    CountrySource(String label) {
        this.label = label;
    }

    /** How reasons name it: "IP country", "merchant country", "country". */
    public String label() {
        return label;
    }

    /** The country, upper case, or empty when the request does not carry it. */
    public Optional<String> of(PaymentRequest request) {
        String country = switch (this) {
            case PAYER -> request.getCountry();
            case MERCHANT -> request.getCard() == null ? null : request.getCard().getMerchantCountry();
            case IP -> request.getSignals() == null ? null : request.getSignals().getIpCountry();
        };
        return Optional.ofNullable(country).filter(value -> !value.isBlank())
                .map(value -> value.toUpperCase(Locale.ROOT));
    }
}
