package dev.ngao.risk.topology;

import dev.ngao.risk.internal.AccountCommand;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Routes commands to the decision task that must apply them: a grant to the partition of the task that
 * asked for it, a release by its account key exactly as the producer of payments.requests partitions it
 * (murmur2 of the key's UTF-8 bytes), so it lands in the task that holds the account.
 */
final class CommandPartitioner implements StreamPartitioner<String, AccountCommand> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, AccountCommand command, int numPartitions) {
        if (command != null && command.getTargetPartition() >= 0) {
            return Optional.of(Set.of(command.getTargetPartition() % numPartitions));
        }
        if (key == null) {
            return Optional.empty();
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(bytes)) % numPartitions));
    }
}
