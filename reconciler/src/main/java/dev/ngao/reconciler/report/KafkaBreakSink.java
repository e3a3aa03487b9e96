package dev.ngao.reconciler.report;

import dev.ngao.events.ReconciliationBreak;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Sends breaks to {@code recon.breaks}, keyed by transaction id, and waits for every acknowledgement. */
public final class KafkaBreakSink implements BreakSink {

    private final Producer<String, ReconciliationBreak> producer;

    public KafkaBreakSink(Producer<String, ReconciliationBreak> producer) {
        this.producer = producer;
    }

    @Override
    public void publish(List<ReconciliationBreak> breaks) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(breaks.size());
        for (ReconciliationBreak reconciliationBreak : breaks) {
            sends.add(producer.send(new ProducerRecord<>(Topics.RECON_BREAKS.name(),
                    reconciliationBreak.getTransactionId(), reconciliationBreak)));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending breaks", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a break was not acknowledged: " + e.getCause().getMessage(), e);
        }
    }
}
