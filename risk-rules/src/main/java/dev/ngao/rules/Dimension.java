package dev.ngao.rules;

import dev.ngao.events.AccountKind;
import dev.ngao.events.CipDetails;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskSignals;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a rule's state lives, and so which stage of risk-streams evaluates it. {@link #ACCOUNT} is the
 * request's own key (card id, customer id, or the keyed hash of a wallet's MSISDN): its rules run where
 * requests arrive, so check-and-reserve is atomic. Every other dimension is counted in its own
 * repartitioned stage, keyed by the dimension's value, and its verdict is joined back by transaction id.
 * Stateless rules (geo, off-hours, card controls) say ACCOUNT: they need no other stage.
 */
public enum Dimension {
    ACCOUNT,
    MERCHANT,
    MSISDN,
    IP,
    DEVICE,
    DNI,
    EMAIL;

    /** The value of this dimension for a request, or empty when the request does not carry it. */
    public Optional<String> valueOf(PaymentRequest request) {
        RiskSignals signals = request.getSignals();
        CipDetails cip = request.getCip();
        return Optional.ofNullable(switch (this) {
            case ACCOUNT -> request.getAccountId();
            case MERCHANT -> request.getMerchantId();
            case MSISDN -> request.getAccountKind() == AccountKind.WALLET ? request.getAccountId()
                    : cip == null ? null : cip.getPhoneHash();
            case IP -> signals == null ? null : signals.getClientIp();
            case DEVICE -> signals == null ? null : signals.getDeviceHash();
            case DNI -> signals != null && signals.getDocumentHash() != null ? signals.getDocumentHash()
                    : cip == null ? null : cip.getDocumentHash();
            case EMAIL -> signals != null && signals.getEmailHash() != null ? signals.getEmailHash()
                    : cip == null ? null : cip.getEmailHash();
        }).filter(value -> !value.isBlank());
    }

    /** Every dimension the request carries, with its value, in declaration order. */
    public static Map<Dimension, String> valuesOf(PaymentRequest request) {
        Map<Dimension, String> values = new EnumMap<>(Dimension.class);
        for (Dimension dimension : values()) {
            dimension.valueOf(request).ifPresent(value -> values.put(dimension, value));
        }
        return values;
    }
}
