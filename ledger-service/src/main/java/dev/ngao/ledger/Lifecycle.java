package dev.ngao.ledger;

import dev.ngao.events.AccountKind;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where one payment stands in the ledger: its stage, the money facts of its decision, and the provider
 * statuses that arrived before the decision and wait for it. Stored per transaction id in RocksDB, in
 * the same atomic write as the entries it caused, so events in any order, replayed or not, lead to the
 * same postings.
 *
 * @param transactionId the payment
 * @param stage         where it stands
 * @param facts         the decision's money facts; null while no decision has arrived
 * @param waiting       provider statuses received before the decision, in arrival order
 * @param suspensePosted whether money the provider moved for a payment the ledger did not approve went to suspense
 * @param undecidedSince while {@link Stage#UNDECIDED}: when the ledger took the first status that waited, the time
 *                       of the payment's mark in the undecided index ({@link UndecidedSince}); null in any other
 *                       stage, while none waited, and in a lifecycle stored before the ledger kept it until
 *                       {@link UndecidedBackfill} gives it one
 */
public record Lifecycle(String transactionId, Stage stage, Facts facts, List<WaitingStatus> waiting,
                        boolean suspensePosted, Instant undecidedSince) {

    /** Statuses one payment may have waiting for its decision; a payment has a handful over its life. */
    public static final int MAX_WAITING = 16;

    /** Where a payment stands. */
    public enum Stage {
        /** Provider statuses arrived, no decision yet. */
        UNDECIDED,
        /**
         * An INITIAL REVIEW or CHALLENGE decision: nothing posts until the analyst's resolution or the challenge's
         * result (or, for a card authorization, the network's answer).
         */
        IN_REVIEW,
        /** Approved: the approval entry (pending, hold) is posted, or none for a CIP code. */
        OPEN,
        /** CIP only: the payer paid, the money is pending for the merchant until the provider settles. */
        PAID,
        /** The provider confirmed: money available, payout committed, authorization captured. */
        SETTLED,
        /** Failed, expired, voided, released or reversed: no further posting. */
        CLOSED,
        /** Declined by risk (initially or on review): nothing posted. */
        DECLINED,
        /** Approved by risk but refused by the ledger: the money to spend was not there. */
        REFUSED
    }

    /** The money facts of the decision, so provider statuses need no join. */
    public record Facts(PaymentType type, String merchantId, String provider, AccountKind accountKind,
                        String accountId, long amountMinor, String currency) {

        public Facts {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(merchantId, "merchantId");
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(accountKind, "accountKind");
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(currency, "currency");
        }
    }

    /** A provider status held until the decision arrives. */
    public record WaitingStatus(String eventId, ProviderStatus status, ProviderEventSource source,
                                String sourceEventId) {
    }

    public Lifecycle {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(stage, "stage");
        waiting = List.copyOf(waiting);
        // Only an undecided lifecycle waits for its decision: once decided, when it began waiting is forgotten, so
        // the stored lifecycle does not depend on whether its statuses came before the decision or with it.
        undecidedSince = stage != Stage.UNDECIDED || undecidedSince == null ? null
                : Instant.ofEpochMilli(undecidedSince.toEpochMilli());
    }

    public static Lifecycle undecided(String transactionId) {
        return new Lifecycle(transactionId, Stage.UNDECIDED, null, List.of(), false, null);
    }

    public boolean decided() {
        return stage != Stage.UNDECIDED && stage != Stage.IN_REVIEW;
    }

    Lifecycle withStage(Stage next) {
        return new Lifecycle(transactionId, next, facts, waiting, suspensePosted, undecidedSince);
    }

    Lifecycle decided(Stage next, Facts decisionFacts) {
        return new Lifecycle(transactionId, next, decisionFacts, List.of(), suspensePosted, undecidedSince);
    }

    Lifecycle inReview(Facts decisionFacts) {
        return new Lifecycle(transactionId, Stage.IN_REVIEW, decisionFacts, waiting, suspensePosted, undecidedSince);
    }

    Lifecycle withSuspensePosted() {
        return new Lifecycle(transactionId, stage, facts, waiting, true, undecidedSince);
    }

    /** This lifecycle with {@code status} waiting, unless a status with its event id already waits. */
    Lifecycle withWaiting(WaitingStatus status) {
        if (waiting.stream().anyMatch(held -> held.eventId().equals(status.eventId()))) {
            return this;
        }
        List<WaitingStatus> more = new ArrayList<>(waiting);
        more.add(status);
        return new Lifecycle(transactionId, stage, facts, more, suspensePosted, undecidedSince);
    }

    /** This lifecycle waiting for its decision since {@code since}, the time of its mark in the undecided index. */
    Lifecycle withUndecidedSince(Instant since) {
        return new Lifecycle(transactionId, stage, facts, waiting, suspensePosted, since);
    }

    byte[] encode() {
        return toJson().encode().getBytes(StandardCharsets.UTF_8);
    }

    JsonObject toJson() {
        JsonArray statuses = new JsonArray();
        for (WaitingStatus status : waiting) {
            statuses.add(new JsonObject().put("eventId", status.eventId()).put("status", status.status().name())
                    .put("source", status.source().name()).put("sourceEventId", status.sourceEventId()));
        }
        JsonObject json = new JsonObject().put("transactionId", transactionId).put("stage", stage.name())
                .put("waiting", statuses).put("suspensePosted", suspensePosted);
        if (undecidedSince != null) {
            json.put("undecidedSince", undecidedSince.toEpochMilli());
        }
        if (facts != null) {
            json.put("facts", new JsonObject().put("type", facts.type().name()).put("merchantId", facts.merchantId())
                    .put("provider", facts.provider()).put("accountKind", facts.accountKind().name())
                    .put("accountId", facts.accountId()).put("amountMinor", facts.amountMinor())
                    .put("currency", facts.currency()));
        }
        return json;
    }

    static Lifecycle decode(byte[] bytes) {
        JsonObject json = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        JsonObject factsJson = json.getJsonObject("facts");
        Facts facts = factsJson == null ? null : new Facts(PaymentType.valueOf(factsJson.getString("type")),
                factsJson.getString("merchantId"), factsJson.getString("provider"),
                AccountKind.valueOf(factsJson.getString("accountKind")), factsJson.getString("accountId"),
                factsJson.getLong("amountMinor"), factsJson.getString("currency"));
        List<WaitingStatus> waiting = new ArrayList<>();
        for (Object item : json.getJsonArray("waiting")) {
            JsonObject status = (JsonObject) item;
            waiting.add(new WaitingStatus(status.getString("eventId"),
                    ProviderStatus.valueOf(status.getString("status")),
                    ProviderEventSource.valueOf(status.getString("source")), status.getString("sourceEventId")));
        }
        Long undecidedSinceMs = json.getLong("undecidedSince");
        return new Lifecycle(json.getString("transactionId"), Stage.valueOf(json.getString("stage")), facts, waiting,
                json.getBoolean("suspensePosted"), undecidedSinceMs == null ? null : Instant.ofEpochMilli(undecidedSinceMs));
    }
}
