package dev.ngao.risk.topology;

import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.risk.internal.CommandKind;
import dev.ngao.risk.internal.Reservation;
import dev.ngao.risk.internal.RuleSetState;
import dev.ngao.risk.internal.StageCommand;
import dev.ngao.risk.internal.StageVerdict;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.RuleHit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The account stage: payment requests, keyed by account, in one task per account. Drops a replayed
 * request; evaluates the ACCOUNT rules of the merchant's rule set; reserves when nothing blocks; sends one
 * evaluate command to every other dimension that has rules and a value; forwards its verdict, with the
 * request, keyed by transaction id. A refund releases what the refunded transaction still holds, up to the
 * refund's amount, here and in its dimension stages, and is decided by no rule (it consumes no limit).
 */
final class AccountStageProcessor implements Processor<String, PaymentRequest, String, SpecificRecord> {

    /** Id of the check that the record key is the request's account; not a rule of any rule set. */
    static final String ACCOUNT_KEY_CHECK_ID = "request-keyed-by-account";

    private static final Logger LOG = LoggerFactory.getLogger(AccountStageProcessor.class);
    private static final InternalSerde<PaymentRequest> REQUESTS = InternalSerde.of(PaymentRequest.class);

    private final RuleSetCatalog catalog;
    private final TopologyOptions options;

    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Long> processed;
    private KeyValueStore<String, RuleSetState> ruleSets;
    private StageStores stores;
    private Stage stage;
    private long replaysDropped;

    AccountStageProcessor(RuleSetCatalog catalog, TopologyOptions options) {
        this.catalog = catalog;
        this.options = options;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.processed = context.getStateStore(RiskTopology.PROCESSED_REQUESTS_STORE);
        this.ruleSets = context.getStateStore(RiskTopology.RULE_SETS_STORE);
        this.stores = StageStores.account(context);
        this.stage = new Stage(stores, context.getStateStore(RiskTopology.CARDS_STORE),
                new StoreListLookup(context.getStateStore(RiskTopology.LISTS_STORE)));
        context.schedule(options.purgeInterval(), PunctuationType.WALL_CLOCK_TIME, this::purge);
    }

    @Override
    public void process(Record<String, PaymentRequest> record) {
        PaymentRequest request = record.value();
        if (request == null) {
            LOG.warn("Skipped a payment request record without a value in task {}", context.taskId());
            return;
        }
        String transactionId = request.getTransactionId();
        if (processed.get(transactionId) != null) {
            replaysDropped++;
            LOG.debug("Dropped replayed request {} ({} replays dropped by task {})", transactionId, replaysDropped,
                    context.taskId());
            return;
        }
        long nowMs = context.currentSystemTimeMs();
        processed.put(transactionId, nowMs);
        // The internal topics need no MSISDN in clear: no rule reads it, the account id is its keyed hash.
        PaymentRequest carried = PaymentRequest.newBuilder(request).setMobileMoney(null).build();
        CompiledRuleSet rules = catalog.forMerchant(ruleSets, request.getMerchantId());
        StageVerdict.Builder verdict = StageVerdict.newBuilder()
                .setTransactionId(transactionId)
                .setDimension(Dimension.ACCOUNT.name())
                .setHolderKey(request.getAccountId())
                .setRequest(ByteBuffer.wrap(REQUESTS.encode(carried)))
                .setRuleSetOwner(rules.merchantId())
                .setRuleSetVersion(rules.version())
                .setReviewAt(rules.scoreThresholds().map(t -> t.reviewAt()).orElse(null))
                .setBlockAt(rules.scoreThresholds().map(t -> t.blockAt()).orElse(null));
        if (!request.getAccountId().equals(record.key())) {
            // Check-and-reserve is atomic only in the account's own task; a request keyed otherwise may sit in
            // another task, so it is declined rather than half-checked.
            verdict.setHits(Hits.toStage(List.of(new RuleHit(ACCOUNT_KEY_CHECK_ID, rules.version(), RuleAction.BLOCK,
                    RuleMode.ENFORCE, Dimension.ACCOUNT, 0,
                    "request was not keyed by its account id, so its limits cannot be checked atomically"))));
        } else if (request.getType() == PaymentType.REFUND) {
            refund(request, record);
        } else {
            List<String> holders = dimensionHolders(rules, carried);
            Stage.Result result = stage.evaluate(rules, Dimension.ACCOUNT, request.getAccountId(), carried, holders, nowMs);
            verdict.setHits(Hits.toStage(result.hits())).setReserved(result.reserved()).setExpectedHolders(holders);
            for (String holder : holders) {
                context.forward(record.withKey(holder).withValue(evaluate(holder, transactionId, verdict)));
            }
        }
        context.forward(record.withKey(transactionId).withValue(verdict.build()));
    }

    private static List<String> dimensionHolders(CompiledRuleSet rules, PaymentRequest request) {
        List<String> holders = new ArrayList<>();
        for (Dimension dimension : Dimension.values()) {
            if (dimension != Dimension.ACCOUNT && !rules.rulesOf(dimension).isEmpty()) {
                dimension.valueOf(request).ifPresent(value -> holders.add(StoreKeys.holderKey(dimension, value)));
            }
        }
        return holders;
    }

    private static StageCommand evaluate(String holder, String transactionId, StageVerdict.Builder verdict) {
        return StageCommand.newBuilder()
                .setKind(CommandKind.EVALUATE)
                .setTransactionId(transactionId)
                .setDimension(StoreKeys.holderDimension(holder).name())
                .setValue(StoreKeys.holderValue(holder))
                .setRequest(verdict.getRequest())
                .setRuleSetOwner(verdict.getRuleSetOwner())
                .setRuleSetVersion(verdict.getRuleSetVersion())
                .build();
    }

    private void refund(PaymentRequest refund, Record<String, PaymentRequest> record) {
        String original = refund.getOriginalTransactionId();
        if (original == null) {
            LOG.warn("Refund {} names no original transaction; nothing to release", refund.getTransactionId());
            return;
        }
        Reservation reservation = stores.reservations().get(original);
        List<String> holders = reservation == null ? List.of() : List.copyOf(reservation.getDimensionHolders());
        long upToMinor = refund.getAmount().getAmountMinor();
        if (upToMinor <= 0) {
            return;
        }
        stage.release(Dimension.ACCOUNT, refund.getAccountId(), original, upToMinor, ReleaseReason.REFUNDED.name(),
                context);
        for (String holder : holders) {
            context.forward(record.withKey(holder).withValue(StageCommand.newBuilder()
                    .setKind(CommandKind.RELEASE)
                    .setTransactionId(original)
                    .setDimension(StoreKeys.holderDimension(holder).name())
                    .setValue(StoreKeys.holderValue(holder))
                    .setUpToMinor(upToMinor)
                    .setReason(ReleaseReason.REFUNDED.name())
                    .build()));
        }
    }

    private void purge(long nowMs) {
        long cutoffMs = nowMs - options.replayRetention().toMillis();
        int forgotten = StorePurge.deleteMatching(processed, options.maxPurgedPerRun(),
                (transactionId, seenAtMs) -> seenAtMs < cutoffMs);
        if (forgotten > 0) {
            LOG.info("Forgot {} processed transaction ids in task {}", forgotten, context.taskId());
        }
        StagePurge.run(stores, options, nowMs, "account");
    }
}
