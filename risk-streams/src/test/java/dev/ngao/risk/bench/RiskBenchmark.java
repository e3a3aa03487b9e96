package dev.ngao.risk.bench;

import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.risk.PaymentRequests;
import dev.ngao.risk.RiskConfig;
import dev.ngao.risk.RiskStreamsService;
import dev.ngao.schemas.topics.Topics;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

/**
 * Risk benchmark (not a test): requests pushed through the whole risk topology on an in-process KRaft broker
 * with exactly-once v2, beside a raw consume-transform-produce copy of the same records on the same broker in
 * the same run (a transactional consumer-producer loop, read_committed, offsets sent with each transaction:
 * exactly-once with no state and no rules, what any exactly-once Kafka application pays).
 *
 * <p>Both phases are driven the same way: a producer sends the requests as fast as the pipeline takes them,
 * holding at most {@code NGAO_BENCH_IN_FLIGHT} sent and not yet answered, so latency is measured under load
 * with a bounded queue rather than the wait behind a preloaded backlog. Latency is from the request's send
 * (its {@code requestedAt}, and the copy's record timestamp) to the committed answer being read.
 *
 * <pre>
 *   risk-streams/bench/run.sh                     NGAO_BENCH_REQUESTS (default 1000000), NGAO_BENCH_ACCOUNTS,
 *                                                 NGAO_BENCH_IN_FLIGHT
 * </pre>
 */
public final class RiskBenchmark {

    private static final String SCOPE = "risk-bench";
    private static final Duration PHASE_TIMEOUT = Duration.ofHours(2);

    private RiskBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = intSetting("NGAO_BENCH_REQUESTS", 1_000_000);
        int accounts = intSetting("NGAO_BENCH_ACCOUNTS", 200_000);
        int inFlight = intSetting("NGAO_BENCH_IN_FLIGHT", 5_000);
        System.out.printf(Locale.ROOT, "risk benchmark: %,d requests over %,d accounts, at most %,d in flight, "
                + "exactly_once_v2, one in-process broker%n", requests, accounts, inFlight);
        try (KafkaTestCluster cluster = KafkaTestCluster.start()) {
            KafkaSettings settings = cluster.settings(SCOPE);
            try (KafkaContext kafka = KafkaContext.connect(settings)) {
                Result baseline = baseline(kafka, settings, requests, accounts, inFlight);
                print("baseline (transactional consume-produce copy)", baseline);
                Result risk = risk(kafka, cluster, requests, accounts, inFlight);
                print("risk-streams (every rule, reservations, joins)", risk);
                System.out.printf(Locale.ROOT, "RESULT baseline %,.0f records/s p50 %.1f ms p99 %.1f ms | risk %,.0f "
                                + "decisions/s p50 %.1f ms p99 %.1f ms | throughput ratio risk/baseline %.2f, p99 ratio %.1fx%n",
                        baseline.perSecond(), baseline.p50Ms(), baseline.p99Ms(), risk.perSecond(), risk.p50Ms(),
                        risk.p99Ms(), risk.perSecond() / baseline.perSecond(), risk.p99Ms() / baseline.p99Ms());
            }
        }
    }

    /** The same requests as the risk phase, serialised the same way, copied by a transactional loop. */
    private static Result baseline(KafkaContext kafka, KafkaSettings settings, int requests, int accounts,
                                   int inFlight) throws Exception {
        String input = Topics.PAYMENT_REQUESTS.name() + "-baseline";
        String output = Topics.RISK_DECISIONS.name() + "-baseline";
        try (Admin admin = Admin.create(KafkaClients.admin(settings, "bench-admin"))) {
            admin.createTopics(List.of(new NewTopic(input, Topics.PAYMENT_REQUESTS.partitions(), (short) 1),
                    new NewTopic(output, Topics.RISK_DECISIONS.partitions(), (short) 1))).all().get();
        }
        Serializer<PaymentRequest> serializer = kafka.serdes(Topics.PAYMENT_REQUESTS).valueSerde().serializer();
        AtomicBoolean stop = new AtomicBoolean();
        Thread copier = new Thread(() -> copy(settings, input, output, stop), "bench-copier");
        copier.start();
        try {
            return drive(settings, requests, accounts, inFlight, input, output,
                    request -> serializer.serialize(Topics.PAYMENT_REQUESTS.name(), request),
                    record -> record.timestamp(), record -> null);
        } finally {
            stop.set(true);
            copier.join();
        }
    }

    private static Result risk(KafkaContext kafka, KafkaTestCluster cluster, int requests, int accounts,
                               int inFlight) throws Exception {
        Path state = Files.createTempDirectory("ngao-risk-bench");
        Map<String, String> environment = new HashMap<>(cluster.environment(SCOPE));
        environment.put("NGAO_RISK_APPLICATION_ID", "risk-bench");
        environment.put("NGAO_RISK_STATE_DIR", state.toString());
        environment.put("NGAO_RISK_HTTP_PORT", "0");
        RiskConfig config = RiskConfig.fromEnvironment(environment);
        Serializer<PaymentRequest> serializer = kafka.serdes(Topics.PAYMENT_REQUESTS).valueSerde().serializer();
        var decisions = kafka.serdes(Topics.RISK_DECISIONS).valueSerde().deserializer();
        try (KafkaContext serviceKafka = KafkaContext.connect(KafkaSettings.from(config));
             RiskStreamsService service = new RiskStreamsService(config, serviceKafka)) {
            service.start();
            return drive(cluster.settings(SCOPE), requests, accounts, inFlight, Topics.PAYMENT_REQUESTS.name(),
                    Topics.RISK_DECISIONS.name(),
                    request -> serializer.serialize(Topics.PAYMENT_REQUESTS.name(), request),
                    record -> decisions.deserialize(Topics.RISK_DECISIONS.name(), record.value()).getRequestedAt()
                            .toEpochMilli(),
                    record -> decisions.deserialize(Topics.RISK_DECISIONS.name(), record.value()).getOutcome());
        }
    }

    /**
     * Sends {@code requests} to {@code input} (keyed by account, as ingest does) and reads {@code output} until
     * as many answers are committed; {@code sentAt} reads the send time an answer carries.
     */
    private static Result drive(KafkaSettings settings, int requests, int accounts, int inFlight, String input,
                                String output, java.util.function.Function<PaymentRequest, byte[]> serialise,
                                ToLongFunction<ConsumerRecord<byte[], byte[]>> sentAt,
                                java.util.function.Function<ConsumerRecord<byte[], byte[]>, Outcome> outcome)
            throws Exception {
        AtomicLong answered = new AtomicLong();
        Histogram latency = new Histogram(Duration.ofMinutes(10).toMillis(), 3);
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        long[] lastAnswerNanos = new long[1];
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = bytesConsumer(settings, "bench-reader-" + output, null)) {
                List<TopicPartition> partitions = consumer.partitionsFor(output).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
                while (answered.get() < requests && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        latency.recordValue(Math.max(0, Math.min(now - sentAt.applyAsLong(record),
                                latency.getHighestTrackableValue())));
                        Outcome said = outcome.apply(record);
                        if (said != null) {
                            outcomes.merge(said, 1L, Long::sum);
                        }
                        answered.incrementAndGet();
                    }
                    lastAnswerNanos[0] = System.nanoTime();
                }
            }
        }, "bench-reader");
        reader.start();
        SplittableRandom random = new SplittableRandom(20_261_202L);
        long startNanos = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(settings, "bench-sender"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < requests; i++) {
                while (i - answered.get() >= inFlight) {
                    LockSupport.parkNanos(100_000);
                }
                String account = "acct-" + random.nextInt(accounts);
                PaymentRequest request = PaymentRequests.request("tx-" + i, account, 100 + random.nextInt(900),
                        "KES", Instant.now());
                producer.send(new ProducerRecord<>(input, null, System.currentTimeMillis(),
                        account.getBytes(java.nio.charset.StandardCharsets.UTF_8), serialise.apply(request)));
            }
        }
        reader.join();
        double seconds = (lastAnswerNanos[0] - startNanos) / 1e9;
        return new Result(answered.get(), seconds, latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
                latency.getMaxValue(), outcomes);
    }

    /** The transactional copy: each poll's records and their offsets committed in one transaction. */
    private static void copy(KafkaSettings settings, String input, String output, AtomicBoolean stop) {
        Map<String, Object> producerConfig = producerSettings(settings, "bench-copier");
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-copier");
        try (KafkaConsumer<byte[], byte[]> consumer = bytesConsumer(settings, "bench-copier", "bench-copier");
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(input));
            while (!stop.get()) {
                var records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    // Keyed by transaction would need decoding; the copy keeps the input's key and timestamp.
                    producer.send(new ProducerRecord<>(output, null, record.timestamp(), record.key(), record.value()));
                    offsets.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
            }
        }
    }

    private static Map<String, Object> producerSettings(KafkaSettings settings, String clientId) {
        Map<String, Object> config = KafkaClients.producer(settings, clientId);
        config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return config;
    }

    private static KafkaConsumer<byte[], byte[]> bytesConsumer(KafkaSettings settings, String clientId, String group) {
        Map<String, Object> config = KafkaClients.consumer(settings, clientId, group);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void print(String what, Result result) {
        System.out.printf(Locale.ROOT, "%s: %,d answers in %.1f s = %,.0f/s, latency p50 %.1f ms p99 %.1f ms max %.1f ms%s%n",
                what, result.answers(), result.seconds(), result.perSecond(), result.p50Ms(), result.p99Ms(),
                result.maxMs(), result.outcomes().isEmpty() ? "" : ", outcomes " + result.outcomes());
    }

    private static int intSetting(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    private record Result(long answers, double seconds, double p50Ms, double p99Ms, double maxMs,
                          Map<Outcome, Long> outcomes) {
        double perSecond() {
            return answers / seconds;
        }
    }
}
