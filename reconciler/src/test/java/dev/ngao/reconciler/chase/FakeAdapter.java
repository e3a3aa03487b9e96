package dev.ngao.reconciler.chase;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.report.SettlementReportFormat;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A provider adapter that answers from a script: each status query takes the next status (the last one
 * repeats), null meaning the call fails; each probe takes the next health answer likewise.
 */
final class FakeAdapter implements ProviderAdapter {

    private final ProviderKind kind;
    private final Deque<ProviderStatus> statuses = new ArrayDeque<>();
    private final List<Boolean> probes = new ArrayList<>();
    private int probed;
    private final java.util.Map<String, ProviderStatus> byTransaction = new java.util.HashMap<>();
    final List<String> queried = new ArrayList<>();

    FakeAdapter(ProviderKind kind) {
        this.kind = kind;
    }

    FakeAdapter answering(ProviderStatus... answers) {
        for (ProviderStatus answer : answers) {
            statuses.add(answer == null ? ProviderStatus.UNKNOWN : answer);
        }
        return this;
    }

    /** Every query about {@code transactionId} gets {@code status}, whatever the others get. */
    FakeAdapter answeringFor(String transactionId, ProviderStatus status) {
        byTransaction.put(transactionId, status);
        return this;
    }

    /** Every query from now on fails. */
    FakeAdapter failing() {
        statuses.clear();
        return this;
    }

    FakeAdapter probing(Boolean... answers) {
        probes.addAll(java.util.Arrays.asList(answers));
        return this;
    }

    @Override
    public ProviderKind kind() {
        return kind;
    }

    @Override
    public CompletionStage<ProviderStatusResult> submit(PaymentRequest request, String idempotencyKey) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not used"));
    }

    @Override
    public CompletionStage<ProviderStatusResult> queryStatus(String transactionId, String providerReference) {
        queried.add(transactionId);
        if (byTransaction.containsKey(transactionId)) {
            return CompletableFuture.completedFuture(new ProviderStatusResult(transactionId, null,
                    byTransaction.get(transactionId), null, null, null));
        }
        if (statuses.isEmpty()) {
            return CompletableFuture.failedFuture(new java.io.IOException("connection refused"));
        }
        ProviderStatus status = statuses.size() > 1 ? statuses.poll() : statuses.peek();
        return CompletableFuture.completedFuture(new ProviderStatusResult(transactionId, "REF-" + transactionId,
                status, null, null, Instant.parse("2026-11-20T12:00:00Z")));
    }

    @Override
    public CompletionStage<Boolean> probe() {
        Boolean up = probes.get(Math.min(probed++, probes.size() - 1));
        if (up == null) {
            return CompletableFuture.failedFuture(new java.net.ConnectException("refused"));
        }
        return CompletableFuture.completedFuture(up);
    }

    @Override
    public SettlementReportFormat reportFormat() {
        throw new UnsupportedOperationException("not used");
    }
}
