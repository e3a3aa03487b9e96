package dev.ngao.ingest.cip;

import dev.ngao.events.AccountKind;
import dev.ngao.events.CipDetails;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskSignals;
import dev.ngao.ingest.payer.PayerSignals;
import dev.ngao.ingest.pii.PersonalData;
import dev.ngao.platform.pii.PiiProtector;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * Turns a valid CIP request into its {@link PaymentRequest}. The payer is counted as a CUSTOMER account
 * under the keyed hash of their document, so one DNI's payments meet in one partition. No personal value
 * travels in clear: document, email and phone are hashed and masked. The provider needs none of them, as
 * Ngao issues the payment code itself and the cash network reports payments by that code.
 *
 * <p>The risk signals always carry the payer's document and email hashes (the same values as the CIP details,
 * so rules read them where they read every payment's), plus the IP, device and time zone of the optional
 * payer object. The time zone is America/Lima unless the payer object names another: PagoEfectivo's payers
 * pay in Peru, and off-hours rules need their clock rather than UTC.
 */
public final class CipEvents {

    /** The provider adapter that carries CIP payments. */
    public static final String PROVIDER = "pagoefectivo";
    public static final String COUNTRY = "PE";

    private final PiiProtector piiProtector;
    private final PayerSignals payerSignals;
    private final Clock clock;

    public CipEvents(PiiProtector piiProtector, Clock clock) {
        this.piiProtector = piiProtector;
        this.payerSignals = new PayerSignals(piiProtector);
        this.clock = clock;
    }

    public PaymentRequest create(String transactionId, String paymentCode, ValidCipRequest request, String merchantId,
                                 String apiKeyId) {
        String documentHash = piiProtector.hash(request.documentType().hashDimension(), request.documentNumber());
        String emailHash = payerSignals.emailHash(request.email());
        CipDetails cip = CipDetails.newBuilder()
                .setDocumentType(request.documentType().name())
                .setDocumentHash(documentHash)
                .setDocumentMasked(PersonalData.maskDocument(request.documentNumber()))
                .setEmailHash(emailHash)
                .setEmailMasked(PersonalData.maskEmail(request.email()))
                .setPhoneHash(piiProtector.hash(PersonalData.MSISDN, request.phone()))
                .setPhoneMasked(PersonalData.maskPhone(request.phone()))
                .setExpiresAt(request.expiresAt())
                .setPaymentCode(paymentCode)
                .build();
        return PaymentRequest.newBuilder()
                .setTransactionId(transactionId)
                .setType(PaymentType.CIP_PAYMENT)
                .setMerchantId(merchantId)
                .setMerchantReference(request.merchantReference())
                .setAccountKind(AccountKind.CUSTOMER)
                .setAccountId(documentHash)
                .setAmount(new Money(request.amountMinor(), request.currency()))
                .setProvider(PROVIDER)
                .setCountry(COUNTRY)
                .setCip(cip)
                .setSignals(signals(request, documentHash, emailHash))
                .setApiKeyId(apiKeyId)
                // Avro keeps milliseconds; truncating here keeps the event and the status view in agreement.
                .setRequestedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    private RiskSignals signals(ValidCipRequest request, String documentHash, String emailHash) {
        RiskSignals.Builder signals = payerSignals.builder(request.payer())
                .setDocumentHash(documentHash)
                .setEmailHash(emailHash);
        if (signals.getTimeZone() == null) {
            signals.setTimeZone(CipTime.ZONE.getId());
        }
        return signals.build();
    }
}
