package dev.ngao.ingest.payment;

import dev.ngao.events.PaymentType;
import dev.ngao.ingest.payer.Payer;

/**
 * A mobile-money payment request body that passed every rule; the amount is already in minor units.
 *
 * @param payer the payer's risk signals; null when the body had none
 */
public record ValidPaymentRequest(
        PaymentType type,
        long amountMinor,
        String currency,
        String msisdn,
        MobileMoneyOperator operator,
        String country,
        String merchantReference,
        Payer payer) {

    @Override
    public String toString() {
        // The MSISDN is PII: a stray log of this record must not print it.
        return "ValidPaymentRequest[type=" + type + ", amountMinor=" + amountMinor + ", currency=" + currency
                + ", operator=" + operator + ", country=" + country + ", merchantReference=" + merchantReference
                + ", payer=" + payer + "]";
    }
}
