package dev.ngao.risk.topology;

import dev.ngao.events.PaymentRequest;
import dev.ngao.risk.internal.CommandKind;
import dev.ngao.risk.internal.RuleSetState;
import dev.ngao.risk.internal.StageCommand;
import dev.ngao.risk.internal.StageVerdict;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.Dimension;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The stage of every other dimension, keyed {@code DIMENSION|value}: evaluates the rules of that dimension
 * (velocity, distinct counts, merchant limits) with the rule-set version the account stage used while it is
 * known, reserves when nothing blocks, and forwards its verdict keyed by transaction id. Release commands of
 * refunds (from the account stage) are handled here too.
 */
final class DimensionStageProcessor implements Processor<String, StageCommand, String, StageVerdict> {

    private static final Logger LOG = LoggerFactory.getLogger(DimensionStageProcessor.class);
    private static final InternalSerde<PaymentRequest> REQUESTS = InternalSerde.of(PaymentRequest.class);

    private final RuleSetCatalog catalog;
    private final TopologyOptions options;

    private ProcessorContext<String, StageVerdict> context;
    private KeyValueStore<String, RuleSetState> ruleSets;
    private StageStores stores;
    private Stage stage;

    DimensionStageProcessor(RuleSetCatalog catalog, TopologyOptions options) {
        this.catalog = catalog;
        this.options = options;
    }

    @Override
    public void init(ProcessorContext<String, StageVerdict> context) {
        this.context = context;
        this.ruleSets = context.getStateStore(RiskTopology.RULE_SETS_STORE);
        this.stores = StageStores.dimension(context);
        this.stage = new Stage(stores, context.getStateStore(RiskTopology.CARDS_STORE),
                new StoreListLookup(context.getStateStore(RiskTopology.LISTS_STORE)));
        context.schedule(options.purgeInterval(), PunctuationType.WALL_CLOCK_TIME,
                nowMs -> StagePurge.run(stores, options, nowMs, "dimension"));
    }

    @Override
    public void process(Record<String, StageCommand> record) {
        StageCommand command = record.value();
        if (command == null) {
            return;
        }
        Dimension dimension = Dimension.valueOf(command.getDimension());
        if (command.getKind() == CommandKind.RELEASE) {
            stage.release(dimension, command.getValue(), command.getTransactionId(), command.getUpToMinor(),
                    command.getReason(), context);
            return;
        }
        PaymentRequest request = REQUESTS.decode(CardFold.bytes(command.getRequest()));
        CompiledRuleSet rules = catalog.version(ruleSets, command.getRuleSetOwner(), command.getRuleSetVersion(),
                request.getMerchantId());
        Stage.Result result = stage.evaluate(rules, dimension, command.getValue(), request, List.of(),
                context.currentSystemTimeMs());
        LOG.trace("Stage {} evaluated {}", dimension, command.getTransactionId());
        context.forward(record.withKey(command.getTransactionId()).withValue(StageVerdict.newBuilder()
                .setTransactionId(command.getTransactionId())
                .setDimension(dimension.name())
                .setHolderKey(record.key())
                .setHits(Hits.toStage(result.hits()))
                .setReserved(result.reserved())
                .build()));
    }
}
