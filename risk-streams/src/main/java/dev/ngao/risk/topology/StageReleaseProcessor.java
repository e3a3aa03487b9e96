package dev.ngao.risk.topology;

import dev.ngao.risk.internal.StageCommand;
import dev.ngao.rules.Dimension;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Applies the join stage's release commands to the stores of the stage that holds the reservation. It is
 * connected to that stage's stores, so Kafka Streams runs it in the same task as the stage (the release
 * topic is co-partitioned with the stage's input): a release and a check-and-reserve of one key never race.
 */
final class StageReleaseProcessor implements Processor<String, StageCommand, Void, Void> {

    private final boolean account;
    private ProcessorContext<Void, Void> context;
    private Stage stage;

    private StageReleaseProcessor(boolean account) {
        this.account = account;
    }

    static StageReleaseProcessor account() {
        return new StageReleaseProcessor(true);
    }

    static StageReleaseProcessor dimension() {
        return new StageReleaseProcessor(false);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.stage = new Stage(account ? StageStores.account(context) : StageStores.dimension(context), null, null);
    }

    @Override
    public void process(Record<String, StageCommand> record) {
        StageCommand command = record.value();
        if (command == null) {
            return;
        }
        stage.release(Dimension.valueOf(command.getDimension()), command.getValue(), command.getTransactionId(),
                command.getUpToMinor(), command.getReason(), context);
    }
}
