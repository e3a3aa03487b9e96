package dev.ngao.platform.kafka;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Finds and aborts hanging transactions: a partition holding the start of a transaction whose producer's coordinator
 * has no transaction in progress for it any more, so no marker will ever end it. Its last stable offset stays behind
 * forever, and every read_committed reader (a Kafka Streams application restoring a changelog among them) waits at
 * it. Seen after a kill -9 of the embedded process (broker included) under load: the submission application's
 * changelog kept the start of a transaction the coordinator had already ended, and its restore never finished.
 * This is what Kafka's own {@code kafka-transactions.sh find-hanging} and {@code abort} do (KIP-664); done here with
 * the Admin API so that a start of the embedded mode, which owns its broker, repairs it without an operator.
 */
public final class HangingTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(HangingTransactions.class);
    private static final long TIMEOUT_SECONDS = 60;
    private static final Set<TransactionState> IN_PROGRESS = EnumSet.of(TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT);

    private HangingTransactions() {
    }

    /**
     * Aborts every hanging transaction in {@code topics}' partitions; returns how many. A transaction its
     * coordinator still has in progress (in progress for that producer at that epoch) is left to it: the
     * coordinator ends it, by its producer or its timeout.
     */
    public static int abortAll(Admin admin, Collection<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<TopicPartition> behind = partitionsWithOpenTransactions(admin, TopicAdmin.partitionsOf(admin, topics));
        if (behind.isEmpty()) {
            return 0;
        }
        int aborted = 0;
        var producers = admin.describeProducers(behind).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (TopicPartition partition : behind) {
            for (ProducerState producer : producers.get(partition).activeProducers()) {
                if (producer.currentTransactionStartOffset().isEmpty()
                        || inProgress(admin, producer.producerId(), producer.producerEpoch())) {
                    continue;
                }
                admin.abortTransaction(new AbortTransactionSpec(partition, producer.producerId(),
                        (short) producer.producerEpoch(), producer.coordinatorEpoch().orElse(-1)))
                        .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.warn("Aborted a hanging transaction in {}: producer {} epoch {}, open since offset {}", partition,
                        producer.producerId(), producer.producerEpoch(),
                        producer.currentTransactionStartOffset().getAsLong());
                aborted++;
            }
        }
        return aborted;
    }

    /** The partitions whose last stable offset is behind their high watermark: an open transaction in each. */
    private static List<TopicPartition> partitionsWithOpenTransactions(Admin admin, List<TopicPartition> partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        var highWatermarks = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return partitions.stream()
                .filter(partition -> stable.get(partition).offset() < highWatermarks.get(partition).offset())
                .collect(Collectors.toList());
    }

    /** Whether the producer's coordinator has a transaction in progress for it at that epoch. */
    private static boolean inProgress(Admin admin, long producerId, int producerEpoch)
            throws InterruptedException, ExecutionException, TimeoutException {
        Collection<TransactionListing> listings = admin.listTransactions(new ListTransactionsOptions()
                .filterProducerIds(Set.of(producerId))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<String> open = listings.stream().filter(listing -> IN_PROGRESS.contains(listing.state()))
                .map(TransactionListing::transactionalId).toList();
        if (open.isEmpty()) {
            return false;
        }
        return admin.describeTransactions(open).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values().stream()
                .anyMatch(description -> description.producerId() == producerId
                        && description.producerEpoch() == producerEpoch);
    }
}
