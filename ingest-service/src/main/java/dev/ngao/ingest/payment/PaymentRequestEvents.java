package dev.ngao.ingest.payment;

import dev.ngao.events.AccountKind;
import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.ingest.payer.PayerSignals;
import dev.ngao.platform.pii.PiiProtector;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Turns a validated body into the {@link PaymentRequest} event ingest-service writes. */
public final class PaymentRequestEvents {

    public static final String TRANSACTION_ID_PREFIX = "txn_";
    /** The provider adapter that carries mobile-money payments. */
    public static final String MOBILE_MONEY_PROVIDER = "mobile-money-hub";
    /** Dimension of the keyed hash that makes a wallet's account id from its MSISDN. */
    public static final String MSISDN_DIMENSION = "msisdn";

    private final PiiProtector piiProtector;
    private final PayerSignals payerSignals;
    private final Clock clock;

    public PaymentRequestEvents(PiiProtector piiProtector, Clock clock) {
        this.piiProtector = piiProtector;
        this.payerSignals = new PayerSignals(piiProtector);
        this.clock = clock;
    }

    public static String newTransactionId() {
        return TRANSACTION_ID_PREFIX + UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * The event for {@code request} made by {@code apiKeyId} on behalf of {@code merchantId}. The wallet is
     * counted under the keyed hash of its MSISDN, never the MSISDN itself; the clear number travels only
     * in the mobile-money details, where the provider adapter needs it. The payer's signals, when given, are
     * hashed as {@link PayerSignals} says.
     */
    public PaymentRequest create(String transactionId, ValidPaymentRequest request, String merchantId, String apiKeyId) {
        return PaymentRequest.newBuilder()
                .setTransactionId(transactionId)
                .setType(request.type())
                .setMerchantId(merchantId)
                .setMerchantReference(request.merchantReference())
                .setAccountKind(AccountKind.WALLET)
                .setAccountId(piiProtector.hash(MSISDN_DIMENSION, request.msisdn()))
                .setAmount(new Money(request.amountMinor(), request.currency()))
                .setProvider(MOBILE_MONEY_PROVIDER)
                .setCountry(request.country())
                .setMobileMoney(new MobileMoneyDetails(request.msisdn(), PiiProtector.maskMsisdn(request.msisdn()),
                        request.operator().name()))
                .setApiKeyId(apiKeyId)
                .setSignals(payerSignals.of(request.payer()))
                // Avro keeps milliseconds; truncating here keeps the event and the status view in agreement.
                .setRequestedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }
}
