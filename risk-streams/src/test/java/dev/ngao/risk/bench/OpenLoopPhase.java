package dev.ngao.risk.bench;

import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaClients;
import dev.ngao.schemas.topics.Topics;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one phase open loop: the calling thread sends request i when it is due by the {@link Schedule}, never
 * waiting for answers, while a reader thread reads the pipeline's committed output and measures each answer
 * against its request's intended send time. The phase ends when every request is answered, or when the
 * answers stop coming or lag far behind (then some are reported unanswered).
 */
final class OpenLoopPhase {

    /** Time between building the schedule and its first request: the reader is positioned by then. */
    private static final long LEAD_MILLIS = 500;
    /** Answers that stop coming for this long after the last send end the phase. */
    private static final Duration STALL_LIMIT = Duration.ofSeconds(20);
    private static final long HIGHEST_LATENCY_MICROS = Duration.ofMinutes(30).toNanos() / 1_000;

    private final KafkaSettings settings;
    private final Serializer<PaymentRequest> serializer;

    OpenLoopPhase(KafkaSettings settings, Serializer<PaymentRequest> serializer) {
        this.settings = settings;
        this.serializer = serializer;
    }

    PhaseResult run(Pipeline pipeline, PhasePlan plan) throws Exception {
        PhaseTraffic traffic = new PhaseTraffic(plan);
        pipeline.beforePhase(plan, traffic);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                bytesProducerSettings(settings, "bench-sender-" + plan.number()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.partitionsFor(pipeline.inputTopic()); // metadata before the clock starts
            AnswerReader reader = new AnswerReader(pipeline, plan);
            Schedule schedule = Schedule.startingIn(LEAD_MILLIS, plan.rate());
            Thread readerThread = reader.startReading(schedule);
            Sender sender = new Sender(producer, pipeline.inputTopic(), traffic, plan, schedule);
            CpuShares cpu = CpuShares.start();
            sender.sendAll(reader.sent);
            readerThread.join();
            reader.cpuMicrosPerAnswer = cpu.microsPerAnswer(reader.answered);
            if (reader.failure.get() != null) {
                throw new IllegalStateException("the reader of phase " + plan.number() + " failed",
                        reader.failure.get());
            }
            pipeline.checkHealthy();
            return reader.result(pipeline, schedule, sender);
        }
    }

    /** Sends each request at its due time; a late one goes at once, and is still measured from its due time. */
    private final class Sender {

        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final PhaseTraffic traffic;
        private final PhasePlan plan;
        private final Schedule schedule;
        private final AtomicLong failures = new AtomicLong();
        private long lastSendNanos;

        Sender(KafkaProducer<byte[], byte[]> producer, String topic, PhaseTraffic traffic, PhasePlan plan,
               Schedule schedule) {
            this.producer = producer;
            this.topic = topic;
            this.traffic = traffic;
            this.plan = plan;
            this.schedule = schedule;
        }

        void sendAll(AtomicLong sent) {
            for (long index = 0; index < plan.totalRequests(); index++) {
                waitUntil(schedule.intendedNanos(index));
                PaymentRequest request = traffic.request(index, schedule.intendedInstant(index));
                // Keyed by account, as ingest keys payments.requests.
                producer.send(new ProducerRecord<>(topic, request.getAccountId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(Topics.PAYMENT_REQUESTS.name(), request)), (metadata, exception) -> {
                    if (exception != null) {
                        failures.incrementAndGet();
                    }
                });
                sent.incrementAndGet();
            }
            lastSendNanos = System.nanoTime();
            producer.flush();
        }

        /** Achieved send rate over the measured requests: as offered when the sender kept to the schedule. */
        double sendRate() {
            long firstMeasured = schedule.intendedNanos(plan.warmUpRequests());
            double seconds = Math.max(schedule.periodNanos(), lastSendNanos - firstMeasured + schedule.periodNanos())
                    / 1e9;
            return plan.measuredRequests() / seconds;
        }

        private static void waitUntil(long dueNanos) {
            long wait;
            while ((wait = dueNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    /** Reads the pipeline's output from where it ended before the phase, keeping this phase's answers. */
    private final class AnswerReader {

        private final Pipeline pipeline;
        private final PhasePlan plan;
        private final KafkaConsumer<byte[], byte[]> consumer;
        final AtomicLong sent = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        private final BitSet answeredIndexes = new BitSet();
        private final Histogram latencyMicros = new Histogram(HIGHEST_LATENCY_MICROS, 3);
        private final Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        private final Map<String, Long> matchedRules = new TreeMap<>();
        private long answered;
        private long answersInWindow;
        private long duplicates;
        private long otherRuleSetVersions;
        private long requestedAtMismatches;
        private long backlogAtEnd = -1;
        private long lastAnswerNanos;
        private Map<String, Double> cpuMicrosPerAnswer = Map.of();

        AnswerReader(Pipeline pipeline, PhasePlan plan) {
            this.pipeline = pipeline;
            this.plan = plan;
            this.consumer = bytesConsumer(settings, "bench-reader-" + plan.number(), null);
            List<TopicPartition> partitions = consumer.partitionsFor(pipeline.outputTopic()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            // Earlier phases' answers are not this phase's: start after them (position() makes the seek happen now).
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        Thread startReading(Schedule schedule) {
            Thread thread = new Thread(() -> {
                try (consumer) {
                    read(schedule);
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "bench-reader-" + plan.number());
            thread.start();
            return thread;
        }

        private void read(Schedule schedule) {
            long total = plan.totalRequests();
            long lastDue = schedule.intendedNanos(total - 1);
            long windowStart = schedule.intendedNanos(plan.warmUpRequests());
            long windowEnd = schedule.intendedNanos(total);
            long phaseNanos = windowEnd - schedule.originNanos();
            long giveUp = lastDue + Math.max(Duration.ofSeconds(30).toNanos(), 2 * phaseNanos);
            long lastProgress = System.nanoTime();
            while (answered < total) {
                var records = consumer.poll(Duration.ofMillis(50));
                long now = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (take(pipeline.read(record), schedule, now)) {
                        lastProgress = now;
                        if (now >= windowStart && now < windowEnd) {
                            answersInWindow++;
                        }
                    }
                }
                if (backlogAtEnd < 0 && now >= lastDue) {
                    backlogAtEnd = sent.get() - answered;
                }
                boolean stalled = now > lastDue && now - lastProgress > STALL_LIMIT.toNanos();
                if (now > giveUp || stalled) {
                    return;
                }
            }
        }

        /**
         * Counts one answer; false for another phase's, a probe's or a repeated one. Its latency is measured from
         * the due time the schedule gives its index (to the nanosecond); the requestedAt it carries back must be
         * that same instant to the millisecond, or it is counted as a mismatch.
         */
        private boolean take(Pipeline.Answer answer, Schedule schedule, long readNanos) {
            long index = plan.indexOf(answer.transactionId());
            if (index < 0) {
                return false;
            }
            if (answeredIndexes.get((int) index)) {
                duplicates++;
                return false;
            }
            answeredIndexes.set((int) index);
            answered++;
            lastAnswerNanos = readNanos;
            if (!schedule.intendedInstant(index).equals(answer.requestedAt())) {
                requestedAtMismatches++;
            }
            if (index >= plan.warmUpRequests()) {
                long micros = (readNanos - schedule.intendedNanos(index)) / 1_000;
                latencyMicros.recordValue(Math.max(0, Math.min(micros, HIGHEST_LATENCY_MICROS)));
                tally(answer);
            }
            return true;
        }

        private void tally(Pipeline.Answer answer) {
            if (answer.outcome() != null) {
                outcomes.merge(answer.outcome(), 1L, Long::sum);
            }
            String expectedVersion = pipeline.ruleSetVersion().orElse(null);
            boolean otherVersion = false;
            for (DecisionReason reason : answer.reasons()) {
                matchedRules.merge(reason.getShadow() ? reason.getRuleId() + " (shadow)" : reason.getRuleId(), 1L,
                        Long::sum);
                otherVersion |= expectedVersion != null && !expectedVersion.equals(reason.getRuleSetVersion());
            }
            if (otherVersion) {
                otherRuleSetVersions++;
            }
        }

        PhaseResult result(Pipeline pipeline, Schedule schedule, Sender sender) {
            long total = plan.totalRequests();
            long unanswered = total - answered;
            double drainSeconds = unanswered > 0 ? Double.POSITIVE_INFINITY
                    : Math.max(0, lastAnswerNanos - schedule.intendedNanos(total - 1)) / 1e9;
            double windowSeconds = plan.measuredRequests() * schedule.periodNanos() / 1e9;
            return new PhaseResult(plan, pipeline.name(), pipeline.label(), sender.sendRate(),
                    answersInWindow / windowSeconds, millis(latencyMicros.getValueAtPercentile(50)),
                    millis(latencyMicros.getValueAtPercentile(99)), millis(latencyMicros.getValueAtPercentile(99.9)),
                    millis(latencyMicros.getMaxValue()), latencyMicros.getTotalCount(), Math.max(0, backlogAtEnd),
                    drainSeconds, unanswered, duplicates, sender.failures.get(), otherRuleSetVersions,
                    requestedAtMismatches, outcomes, matchedRules, cpuMicrosPerAnswer);
        }

        private static double millis(long micros) {
            return micros / 1_000.0;
        }
    }

    static Map<String, Object> bytesProducerSettings(KafkaSettings settings, String clientId) {
        Map<String, Object> config = KafkaClients.producer(settings, clientId);
        config.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        config.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return config;
    }

    static KafkaConsumer<byte[], byte[]> bytesConsumer(KafkaSettings settings, String clientId, String group) {
        Map<String, Object> config = KafkaClients.consumer(settings, clientId, group);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
