package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Copies committed entries to {@code ledger.entries}, as an outbox: the store is written first and
 * remembers the last sequence Kafka acknowledged, so entries committed but not yet acknowledged
 * (a crash, a broker outage) are sent again on the next round or the next start. Delivery is
 * therefore at least once: a consumer may see an entry twice, always with the same entryId and
 * content, and de-duplicates by entryId. Runs on the poll thread only.
 */
final class EntryPublisher {

    /** Entries sent per round, so a long backlog after an outage does not stall the poll loop. */
    static final int MAX_ENTRIES_PER_ROUND = 500;

    private static final Logger LOG = LoggerFactory.getLogger(EntryPublisher.class);

    private final Producer<String, JournalEntry> producer;
    private final LedgerStore store;

    EntryPublisher(Producer<String, JournalEntry> producer, LedgerStore store) {
        this.producer = producer;
        this.store = store;
    }

    /** Sends the entries committed since the last acknowledged one, waits for the acknowledgements, records progress. */
    void publishPending() {
        long published = store.publishedSequence();
        if (published >= store.head().sequence()) {
            return;
        }
        List<JournalEntry> pending = store.entriesAfter(published, MAX_ENTRIES_PER_ROUND);
        List<Future<RecordMetadata>> sends = send(pending);
        producer.flush();
        long acknowledged = acknowledgedUpTo(pending, sends, published);
        if (acknowledged > published) {
            store.markPublished(acknowledged);
        }
    }

    private List<Future<RecordMetadata>> send(List<JournalEntry> pending) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(pending.size());
        for (JournalEntry entry : pending) {
            try {
                ProducerRecord<String, JournalEntry> record = new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(),
                        entry.getTransactionId(), entry);
                // The trace of the event that caused the entry goes on, so the reconciler's work joins it too.
                store.traceOf(entry.getEntryId()).ifPresent(trace -> trace.writeTo(record.headers()));
                sends.add(producer.send(record));
            } catch (KafkaException e) {
                LOG.warn("Cannot send entry {} to {}, will retry: {}", entry.getEntryId(),
                        Topics.LEDGER_ENTRIES.name(), e.getMessage());
                break;
            }
        }
        return sends;
    }

    /** The last sequence such that it and every entry before it were acknowledged. */
    private static long acknowledgedUpTo(List<JournalEntry> pending, List<Future<RecordMetadata>> sends,
                                         long published) {
        long acknowledged = published;
        for (int index = 0; index < sends.size(); index++) {
            try {
                sends.get(index).get();
                acknowledged = pending.get(index).getSequence();
            } catch (ExecutionException e) {
                LOG.warn("Entry {} was not acknowledged by {}, will retry: {}", pending.get(index).getEntryId(),
                        Topics.LEDGER_ENTRIES.name(), e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return acknowledged;
    }
}
