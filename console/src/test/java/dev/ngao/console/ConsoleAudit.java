package dev.ngao.console;

import dev.ngao.events.AuditRecord;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.TopicReader;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/** What audit.console holds about one account, for tests. */
final class ConsoleAudit {

    private ConsoleAudit() {
    }

    /**
     * The records keyed by {@code username}, read to the topic's end, in the order they were written (one key,
     * one partition).
     */
    static List<AuditRecord> of(KafkaContext kafka, String username) {
        return TopicReader.readAll(kafka, Topics.AUDIT_CONSOLE).stream()
                .filter(record -> username.equals(record.key())).map(ConsumerRecord::value).toList();
    }

    /** The actions of {@link #of}, as strings. */
    static List<String> actions(KafkaContext kafka, String username) {
        return of(kafka, username).stream().map(record -> record.getAction().toString()).toList();
    }
}
