package dev.ngao.console;

import dev.ngao.events.AuditRecord;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What audit.console holds about one account, for tests. */
final class ConsoleAudit {

    private ConsoleAudit() {
    }

    /**
     * The records keyed by {@code username}, read to the topic's end, in the order they were written (one key,
     * one partition).
     */
    static List<AuditRecord> of(KafkaContext kafka, String username) {
        List<AuditRecord> found = new ArrayList<>();
        try (KafkaConsumer<String, AuditRecord> consumer = kafka.consumer(Topics.AUDIT_CONSOLE, "console-test-audit", null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUDIT_CONSOLE.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (username.equals(record.key())) {
                        found.add(record.value());
                    }
                });
            }
        }
        return found;
    }

    /** The actions of {@link #of}, as strings. */
    static List<String> actions(KafkaContext kafka, String username) {
        return of(kafka, username).stream().map(record -> record.getAction().toString()).toList();
    }
}
