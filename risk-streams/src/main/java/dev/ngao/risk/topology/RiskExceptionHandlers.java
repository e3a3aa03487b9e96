package dev.ngao.risk.topology;

import dev.ngao.platform.invariant.InvariantViolation;
import dev.ngao.platform.kafka.StreamsRunner;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * How risk-streams treats bad input: a record it cannot deserialize or whose processing throws goes, raw,
 * to {@link Topics#RISK_DEAD_LETTERS} with the reason in Kafka Streams' dead-letter headers, and processing
 * goes on; a broken invariant is not bad input but broken state, so it still fails the stream thread (and
 * the service runner stops the process), and a store found closed (a rebalance, a restore) fails the thread
 * too, which the service runner replaces: the record is taken again, never skipped.
 */
public final class RiskExceptionHandlers {

    private RiskExceptionHandlers() {
    }

    /** The Kafka Streams properties of this error handling. */
    public static Map<String, Object> streamsProperties() {
        return Map.of(
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.RISK_DEAD_LETTERS.name(),
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterUnlessInvariant.class,
                // Punctuators and global store processors are covered too (the default from Kafka 5.0 on).
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    }

    /** Continues past a failed record (dead-lettered), but fails on a broken invariant. */
    public static final class DeadLetterUnlessInvariant extends LogAndContinueProcessingExceptionHandler {

        private static final Logger LOG = LoggerFactory.getLogger(DeadLetterUnlessInvariant.class);

        @Override
        public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            if (StreamsRunner.causeOf(exception, InvariantViolation.class) != null) {
                LOG.error("Invariant broken in {} of task {}; failing the stream thread", context.processorNodeId(),
                        context.taskId());
                return Response.fail();
            }
            if (StreamsRunner.transientStoreFailure(exception)) {
                // Not bad input: a store closed under the task (a rebalance, a restore). Skipping the record would
                // lose a payment; failing the thread aborts the transaction and the record is taken again.
                LOG.warn("A store was closed under {} of task {}; failing the stream thread to take the record again",
                        context.processorNodeId(), context.taskId());
                return Response.fail();
            }
            return super.handleError(context, record, exception);
        }
    }
}
