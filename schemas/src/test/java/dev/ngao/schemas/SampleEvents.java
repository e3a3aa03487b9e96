package dev.ngao.schemas;

import dev.ngao.events.AccountKind;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.StatusTransition;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

import java.time.Instant;
import java.util.List;

/**
 * Sample events for the tests of every module (published in this module's test-jar): builders with every
 * required field set to a plausible value, for a test to override only the fields it is about, and small
 * evolving schemas for the registry's tests.
 * <p>
 * The defaults: a mobile-money collection of 1,000.00 KES ({@link #AMOUNT_MINOR} minor units) by merchant
 * {@link #MERCHANT_ID} from a wallet, through {@link #PROVIDER}, requested at {@link #REQUESTED_AT}.
 */
public final class SampleEvents {

    public static final String MERCHANT_ID = "merchant-1";
    public static final String PROVIDER = "mobile-money-hub";
    public static final String API_KEY_ID = "key-1";
    public static final long AMOUNT_MINOR = 100_000L;
    public static final String CURRENCY = "KES";
    public static final Instant REQUESTED_AT = Instant.parse("2025-01-15T10:00:00Z");

    private SampleEvents() {
    }

    public static Money money(long amountMinor, String currency) {
        return Money.newBuilder().setAmountMinor(amountMinor).setCurrency(currency).build();
    }

    /** A payment request as ingest writes it: a wallet collection, no payment-method details. */
    public static PaymentRequest.Builder paymentRequest(String transactionId) {
        return PaymentRequest.newBuilder()
                .setTransactionId(transactionId)
                .setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId(MERCHANT_ID)
                .setMerchantReference("order-" + transactionId)
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("wallet-" + transactionId)
                .setAmount(money(AMOUNT_MINOR, CURRENCY))
                .setProvider(PROVIDER)
                .setApiKeyId(API_KEY_ID)
                .setRequestedAt(REQUESTED_AT);
    }

    /** The initial decision of a payment, no reasons, decided 15 ms after it was requested. */
    public static RiskDecision.Builder riskDecision(String transactionId, Outcome outcome) {
        return RiskDecision.newBuilder()
                .setTransactionId(transactionId)
                .setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId(MERCHANT_ID)
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("wallet-" + transactionId)
                .setAmount(money(AMOUNT_MINOR, CURRENCY))
                .setProvider(PROVIDER)
                .setOutcome(outcome)
                .setReasons(List.of())
                .setRequestedAt(REQUESTED_AT)
                .setDecidedAt(REQUESTED_AT.plusMillis(15))
                .setKind(DecisionKind.INITIAL);
    }

    /** The initial decision of {@code request}, with its payment's fields, decided 15 ms after it was requested. */
    public static RiskDecision.Builder riskDecision(PaymentRequest request, Outcome outcome) {
        return riskDecision(request.getTransactionId(), outcome)
                .setType(request.getType())
                .setMerchantId(request.getMerchantId())
                .setAccountKind(request.getAccountKind())
                .setAccountId(request.getAccountId())
                .setAmount(request.getAmount())
                .setProvider(request.getProvider())
                .setRequestedAt(request.getRequestedAt())
                .setDecidedAt(request.getRequestedAt().plusMillis(15));
    }

    /** A provider's webhook saying {@code status}, applied, occurred 5 s and received 6 s after the request. */
    public static ProviderEvent.Builder providerEvent(String transactionId, String eventId, ProviderStatus status) {
        return ProviderEvent.newBuilder()
                .setEventId(eventId)
                .setProvider(PROVIDER)
                .setProviderEventId("p-" + eventId)
                .setTransactionId(transactionId)
                .setStatus(status)
                .setSource(ProviderEventSource.WEBHOOK)
                .setOccurredAt(REQUESTED_AT.plusSeconds(5))
                .setReceivedAt(REQUESTED_AT.plusSeconds(6))
                .setTransition(StatusTransition.APPLIED);
    }

    /** A decision with every field set, including the optional score and a nested reason. */
    public static RiskDecision riskDecision() {
        Instant requestedAt = Instant.parse("2025-03-01T10:15:30.123Z");
        return RiskDecision.newBuilder()
                .setTransactionId("tx-1001")
                .setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId("m-42")
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("wallet-hmac-3f9a51")
                .setAmount(Money.newBuilder().setAmountMinor(125_000L).setCurrency("KES").build())
                .setProvider("mobile-money-hub")
                .setOutcome(Outcome.REVIEW)
                .setReasons(List.of(DecisionReason.newBuilder()
                        .setRuleId("velocity-wallet-1h")
                        .setRuleSetVersion("7")
                        .setOutcome(Outcome.REVIEW)
                        .setMessage("5 collections within one hour")
                        .build()))
                .setScore(70)
                .setRequestedAt(requestedAt)
                .setDecidedAt(requestedAt.plusMillis(12))
                .build();
    }

    /** Version 1 of a throwaway record: one required field. {@code name} keeps tests apart. */
    public static Schema probeVersion1(String name) {
        return SchemaBuilder.record(name).namespace("dev.ngao.test").fields()
                .requiredString("probeId")
                .endRecord();
    }

    /** A BACKWARD compatible version 2: the new field has a default, so version 1 data stays readable. */
    public static Schema probeCompatibleVersion2(String name) {
        return SchemaBuilder.record(name).namespace("dev.ngao.test").fields()
                .requiredString("probeId")
                .name("note").type().stringType().stringDefault("")
                .endRecord();
    }

    /** An incompatible version 2: a new field without default cannot be filled from version 1 data. */
    public static Schema probeIncompatibleVersion2(String name) {
        return SchemaBuilder.record(name).namespace("dev.ngao.test").fields()
                .requiredString("probeId")
                .requiredString("note")
                .endRecord();
    }
}
