package dev.ngao.ingest.cip;

import dev.ngao.events.AccountKind;
import dev.ngao.events.CipDetails;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.ingest.pii.PersonalData;
import dev.ngao.platform.pii.PiiProtector;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

/**
 * Turns a valid CIP request into its {@link PaymentRequest}. The payer is counted as a CUSTOMER account
 * under the keyed hash of their document, so one DNI's payments meet in one partition. No personal value
 * travels in clear: document, email and phone are hashed and masked. The provider needs none of them, as
 * Ngao issues the payment code itself and the cash network reports payments by that code.
 */
public final class CipEvents {

    /** The provider adapter that carries CIP payments. */
    public static final String PROVIDER = "pagoefectivo";
    public static final String COUNTRY = "PE";

    private final PiiProtector piiProtector;
    private final Clock clock;

    public CipEvents(PiiProtector piiProtector, Clock clock) {
        this.piiProtector = piiProtector;
        this.clock = clock;
    }

    public PaymentRequest create(String transactionId, String paymentCode, ValidCipRequest request, String merchantId,
                                 String apiKeyId) {
        String documentHash = piiProtector.hash(request.documentType().hashDimension(), request.documentNumber());
        CipDetails cip = CipDetails.newBuilder()
                .setDocumentType(request.documentType().name())
                .setDocumentHash(documentHash)
                .setDocumentMasked(PersonalData.maskDocument(request.documentNumber()))
                .setEmailHash(piiProtector.hash(PersonalData.EMAIL, PersonalData.normaliseEmail(request.email())))
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
                .setApiKeyId(apiKeyId)
                // Avro keeps milliseconds; truncating here keeps the event and the status view in agreement.
                .setRequestedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }
}
