package dev.ngao.reconciler;

import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.report.SettlementReportFormat;

import dev.ngao.schemas.SampleEvents;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A mobile-money hub that accepts every submission as PENDING, with reference {@code HUB-<transactionId>}. */
final class AcceptingAdapter implements ProviderAdapter {

    private final List<String> submitted;
    /** The threads each submission was made on. */
    final List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    AcceptingAdapter(List<String> submitted) {
        this.submitted = submitted;
    }

    static PaymentRequest request(String transactionId) {
        return SampleEvents.paymentRequest(transactionId)
                .setMerchantReference("order-1")
                .setAccountId("account-" + transactionId)
                .setAmount(new Money(25_000L, "KES"))
                .setProvider(ProviderKind.MOBILE_MONEY_HUB.id())
                .setMobileMoney(MobileMoneyDetails.newBuilder().setMsisdn("+254700000001")
                        .setMsisdnMasked("+2547******01").setOperator("MPESA").build())
                .setRequestedAt(Instant.now())
                .build();
    }

    @Override
    public ProviderKind kind() {
        return ProviderKind.MOBILE_MONEY_HUB;
    }

    @Override
    public CompletionStage<ProviderStatusResult> submit(PaymentRequest request, String idempotencyKey) {
        submitted.add(request.getTransactionId());
        threads.add(Thread.currentThread().getName());
        return CompletableFuture.completedFuture(new ProviderStatusResult(request.getTransactionId(),
                "HUB-" + request.getTransactionId(), ProviderStatus.PENDING, request.getAmount(), null, Instant.now()));
    }

    @Override
    public CompletionStage<ProviderStatusResult> queryStatus(String transactionId, String providerReference) {
        return CompletableFuture.completedFuture(new ProviderStatusResult(transactionId, providerReference,
                ProviderStatus.PENDING, null, null, Instant.now()));
    }

    @Override
    public CompletionStage<Boolean> probe() {
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public SettlementReportFormat reportFormat() {
        return new dev.ngao.providers.report.MobileMoneyHubReport();
    }
}
