package dev.ngao.ingest.approval;

import dev.ngao.events.ApprovalKind;
import dev.ngao.events.ApprovalRequest;
import dev.ngao.ingest.payment.PaymentRoutes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** An approval as the API answers it: what waits, for whom, and what became of it. Never the sealed payout. */
public final class ApprovalJson {

    private ApprovalJson() {
    }

    public static JsonObject of(ApprovalRequest approval, Instant now) {
        String self = PaymentRoutes.APPROVALS_PATH + "/" + approval.getApprovalId();
        JsonObject links = new JsonObject().put("self", self);
        JsonObject json = new JsonObject()
                .put("approvalId", approval.getApprovalId())
                .put("kind", approval.getKind().name())
                .put("status", ApprovalView.statusAt(approval, now).name())
                .put("merchantId", approval.getMerchantId())
                .put("requestedBy", approval.getRequestedBy())
                .put("requestedAt", approval.getRequestedAt().toString())
                .put("expiresAt", approval.getExpiresAt().toString());
        if (approval.getDecidedAt() != null) {
            json.put("decidedBy", approval.getDecidedBy())
                    .put("decidedAt", approval.getDecidedAt().toString())
                    .put("reason", approval.getReason());
        }
        if (approval.getDeliveredAt() != null) {
            json.put("deliveredAt", approval.getDeliveredAt().toString());
        }
        if (approval.getKind() == ApprovalKind.PAYOUT) {
            json.put("transactionId", approval.getTransactionId())
                    .put("amountMinor", approval.getAmountMinor())
                    .put("currency", approval.getCurrency());
            links.put("payment", PaymentRoutes.PAYMENTS_PATH + "/" + approval.getTransactionId());
        }
        if (approval.getKind() == ApprovalKind.CARD_BATCH) {
            JsonArray cardIds = new JsonArray();
            approval.getCards().forEach(card -> cardIds.add(card.getCardId()));
            json.put("cardCount", approval.getCards().size()).put("cardIds", cardIds);
        }
        return json.put("links", links);
    }
}
