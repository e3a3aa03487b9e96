package dev.ngao.reconciler.submit;

import dev.ngao.events.SubmissionResult;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Where the dispatcher records what its calls came to: {@code providers.submission-results}. */
@FunctionalInterface
public interface SubmissionResultSink {

    /**
     * Returns once every result was acknowledged.
     *
     * @throws SubmissionResultsNotAcknowledged if one was not: the dispatcher commits nothing and reads the intents
     *                                           again after a back-off, dispatching them with the same idempotency keys
     */
    void publish(List<SubmissionResult> results);

    /** A sink writing with {@code producer} (idempotent, acks=all), keyed by transaction id. */
    static SubmissionResultSink kafka(Producer<String, SubmissionResult> producer) {
        return results -> {
            List<Future<RecordMetadata>> sends = new ArrayList<>(results.size());
            for (SubmissionResult result : results) {
                sends.add(producer.send(new ProducerRecord<>(Topics.PROVIDER_SUBMISSION_RESULTS.name(),
                        result.getTransactionId(), result)));
            }
            try {
                for (Future<RecordMetadata> send : sends) {
                    send.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while recording submission results", e);
            } catch (ExecutionException e) {
                throw new SubmissionResultsNotAcknowledged(e.getCause());
            }
        };
    }
}
