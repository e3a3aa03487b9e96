package dev.ngao.risk.bench;

import dev.ngao.events.PaymentRequest;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The baseline: a transactional consume-produce copy of the requests (read_committed consumer, transactional
 * producer, each poll's records and their offsets committed in one transaction with sendOffsetsToTransaction):
 * exactly-once with no state and no rules, what any exactly-once Kafka application pays. Its topics have the
 * partition counts of payments.requests and risk.decisions. One copier runs for the whole benchmark, as the
 * risk-streams service does; phases tell their records apart by transaction id.
 */
final class BaselinePipeline implements Pipeline {

    static final String LABEL = "baseline: transactional copy (read_committed, sendOffsetsToTransaction), "
            + "exactly-once, no state, no rules";

    private static final String INPUT = Topics.PAYMENT_REQUESTS.name() + "-baseline";
    private static final String OUTPUT = Topics.RISK_DECISIONS.name() + "-baseline";
    private static final String COPIER = "bench-copier";

    private final Deserializer<PaymentRequest> requests;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread copier;

    private BaselinePipeline(KafkaContext kafka) {
        this.requests = kafka.serdes(Topics.PAYMENT_REQUESTS).valueSerde().deserializer();
        KafkaSettings settings = kafka.settings();
        this.copier = new Thread(() -> copyUntilStopped(settings), COPIER);
    }

    static BaselinePipeline start(KafkaContext kafka) throws Exception {
        try (Admin admin = Admin.create(KafkaClients.admin(kafka.settings(), "bench-admin"))) {
            admin.createTopics(List.of(new NewTopic(INPUT, Topics.PAYMENT_REQUESTS.partitions(), (short) 1),
                    new NewTopic(OUTPUT, Topics.RISK_DECISIONS.partitions(), (short) 1))).all().get();
        }
        BaselinePipeline pipeline = new BaselinePipeline(kafka);
        pipeline.copier.start();
        return pipeline;
    }

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public String label() {
        return LABEL;
    }

    @Override
    public String inputTopic() {
        return INPUT;
    }

    @Override
    public String outputTopic() {
        return OUTPUT;
    }

    @Override
    public void beforePhase(PhasePlan plan, PhaseTraffic traffic) {
        // A copy needs nothing in place.
    }

    /** The copy is the request itself: decoded as the risk reader decodes a decision, so both pay the same. */
    @Override
    public Answer read(ConsumerRecord<byte[], byte[]> record) {
        PaymentRequest copied = requests.deserialize(Topics.PAYMENT_REQUESTS.name(), record.value());
        return Answer.copy(copied.getTransactionId(), copied.getRequestedAt());
    }

    @Override
    public Optional<String> ruleSetVersion() {
        return Optional.empty();
    }

    @Override
    public void checkHealthy() {
        Throwable failed = failure.get();
        if (failed != null || !copier.isAlive()) {
            throw new IllegalStateException("the baseline copier stopped", failed);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        copier.join();
    }

    private void copyUntilStopped(KafkaSettings settings) {
        try {
            copy(settings);
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    /** The transactional copy: each poll's records and their offsets committed in one transaction. */
    private void copy(KafkaSettings settings) {
        Map<String, Object> producerConfig = OpenLoopPhase.bytesProducerSettings(settings, COPIER);
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, COPIER);
        try (KafkaConsumer<byte[], byte[]> consumer = OpenLoopPhase.bytesConsumer(settings, COPIER, COPIER);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(INPUT));
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    // Keyed by transaction would need decoding; the copy keeps the input's key and timestamp.
                    producer.send(new ProducerRecord<>(OUTPUT, null, record.timestamp(), record.key(), record.value()));
                    offsets.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
            }
        }
    }
}
