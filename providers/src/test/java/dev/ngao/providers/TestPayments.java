package dev.ngao.providers;

import dev.ngao.events.AccountKind;
import dev.ngao.events.CardDetails;
import dev.ngao.events.CipDetails;
import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;

import dev.ngao.schemas.SampleEvents;
import java.time.Instant;

/** Payment requests as ingest-service writes them, for adapter tests. */
public final class TestPayments {

    private TestPayments() {
    }

    private static PaymentRequest.Builder base(String transactionId, PaymentType type, long amountMinor,
                                               String currency, ProviderKind provider) {
        return SampleEvents.paymentRequest(transactionId)
                .setType(type)
                .setMerchantId("m-1")
                .setMerchantReference("order-1")
                .setAccountId("acct-1")
                .setAmount(new Money(amountMinor, currency))
                .setProvider(provider.id())
                .setRequestedAt(Instant.parse("2026-03-01T10:00:00Z"));
    }

    public static PaymentRequest mobileMoney(String transactionId, long amountMinor) {
        return base(transactionId, PaymentType.MOBILE_MONEY_COLLECTION, amountMinor, "KES", ProviderKind.MOBILE_MONEY_HUB)
                .setCountry("KE")
                .setMobileMoney(new MobileMoneyDetails("+254712345678", "+2547******78", "MPESA"))
                .build();
    }

    public static PaymentRequest cip(String transactionId, long amountMinor, Instant expiresAt) {
        return base(transactionId, PaymentType.CIP_PAYMENT, amountMinor, "PEN", ProviderKind.PAGOEFECTIVO)
                .setAccountKind(AccountKind.CUSTOMER)
                .setCip(CipDetails.newBuilder().setDocumentType("DNI").setDocumentHash("h").setDocumentMasked("4****21")
                        .setExpiresAt(expiresAt).setPaymentCode("2026030100001").build())
                .build();
    }

    public static PaymentRequest card(String transactionId, long amountMinor) {
        return base(transactionId, PaymentType.CARD_AUTHORIZATION, amountMinor, "USD", ProviderKind.CARD_NETWORK)
                .setAccountKind(AccountKind.CARD)
                .setCard(CardDetails.newBuilder().setCardId("card-1").build())
                .build();
    }
}
