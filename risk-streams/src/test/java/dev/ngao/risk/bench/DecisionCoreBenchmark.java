package dev.ngao.risk.bench;

import dev.ngao.events.CardEvent;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.risk.RiskConfig;
import dev.ngao.risk.topology.RiskExceptionHandlers;
import dev.ngao.risk.topology.RiskTopology;
import dev.ngao.risk.topology.TopicSerdesSource;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * Benchmark (not a test) of the decision core alone: the real risk topology, with the shipped catalogue
 * default.yaml published and in force, under TopologyTestDriver on one thread: every processor, RocksDB store,
 * serde and changelog write of a decision, but no broker, no network and no transaction. Beside it, in the same
 * run, a pass-through topology that reads each request and writes it to risk.decisions (serdes only): the
 * baseline. Reports the CPU time of the calling thread per request (ThreadMXBean), which on a machine shared with
 * other work moves far less than wall time or rates, and what the decisions were, so that a change of the core is
 * compared by its cost per decision. The traffic is the open-loop benchmark's ({@link PhaseTraffic}): wallets,
 * cards (issued and loaded first), PagoEfectivo customers; timestamps advance as at the configured rate.
 *
 * <p>Run with {@code risk-streams/bench/core.sh}; NGAO_CORE_REQUESTS (default 200,000), NGAO_CORE_ROUNDS
 * (default 3: each round a baseline then the core, fresh state each), NGAO_CORE_RATE (the simulated arrival
 * rate, default 1,000/s), NGAO_BENCH_ACCOUNTS (default 40,000 accounts).
 */
public final class DecisionCoreBenchmark {

    private static final String COPY_TOPIC = "bench.copy";
    /** risk-streams' default settings (the key is only required, no key is used here). */
    private static final RiskConfig CONFIG = RiskConfig.fromEnvironment(
            Map.of("NGAO_RISK_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT));
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The same bean as HotSpot's, which also counts the bytes a thread allocated. */
    private static final com.sun.management.ThreadMXBean ALLOCATIONS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private DecisionCoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> environment = System.getenv();
        int requests = Integer.parseInt(environment.getOrDefault("NGAO_CORE_REQUESTS", "200000"));
        int rounds = Integer.parseInt(environment.getOrDefault("NGAO_CORE_ROUNDS", "3"));
        int rate = Integer.parseInt(environment.getOrDefault("NGAO_CORE_RATE", "1000"));
        int accounts = Integer.parseInt(environment.getOrDefault("NGAO_BENCH_ACCOUNTS", "40000"));
        RuleSetPublished catalogue = RuleSetInForce.read();
        System.out.printf("decision core benchmark: %,d requests per round at a simulated %,d/s over %,d accounts, "
                + "%d rounds; CPU time of the one driving thread per request%n", requests, rate, accounts, rounds);
        for (int round = 1; round <= rounds; round++) {
            PhasePlan plan = new PhasePlan(round, PhasePlan.PhaseKind.FIXED, rate, Duration.ZERO,
                    Duration.ofMillis(requests * 1000L / rate), accounts);
            Result baseline = run(plan, requests, null);
            System.out.printf("round %d baseline: pass-through (deserialize, serialize), no state, no rules: "
                    + "%,d ns CPU, %,d bytes allocated per request%n", round, baseline.cpuNanosPerRequest(),
                    baseline.bytesPerRequest());
            Result core = run(plan, requests, catalogue);
            System.out.printf("round %d core: risk topology, default.yaml %s in force (%d rules), TopologyTestDriver: "
                            + "%,d ns CPU per decision (%.2fx the baseline's cost), %,d bytes allocated, outcomes %s%n",
                    round, catalogue.getVersion(), catalogue.getRules().size(), core.cpuNanosPerRequest(),
                    (double) core.cpuNanosPerRequest() / baseline.cpuNanosPerRequest(), core.bytesPerRequest(),
                    core.outcomes());
            double total = core.written().values().stream().mapToDouble(Double::doubleValue).sum();
            StringBuilder topics = new StringBuilder();
            core.written().forEach((topic, perRequest) -> topics.append(String.format(" %s %.2f;",
                    topic.replace("ngao-core-bench-", ""), perRequest)));
            System.out.printf("  records written per request: %.2f (baseline %.2f):%s%n", total,
                    baseline.written().values().stream().mapToDouble(Double::doubleValue).sum(), topics);
        }
    }

    /**
     * @param written records written per measured request, by topic (changelogs included): what a broker would
     *                append for it, before transaction markers
     */
    record Result(long cpuNanosPerRequest, long bytesPerRequest, Map<Outcome, Integer> outcomes,
                  Map<String, Double> written) {
    }

    /** One round: the risk topology with {@code catalogue} in force, or the pass-through if it is null. */
    static Result run(PhasePlan plan, int requests, RuleSetPublished catalogue) throws Exception {
        Path state = Files.createTempDirectory("ngao-core-bench-");
        String scope = "core-bench-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(scope);
        TopicSerdesSource serdes = TopicSerdesSource.over(registry);
        Instant start = Instant.parse("2026-03-10T08:00:00Z");
        Topology topology = catalogue == null ? passThrough(serdes)
                : RiskTopology.build(serdes, CONFIG
                .topologyOptions(Topics.PAYMENT_REQUESTS.partitions()));
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, properties(state), start)) {
            Function<Topic<String, ?>, TestInputTopic<String, Object>> input = topic -> inputOf(driver, serdes, topic);
            TestInputTopic<String, Object> payments = input.apply(Topics.PAYMENT_REQUESTS);
            TopicSerdes<String, RiskDecision> decisionSerdes = serdes.serdes(Topics.RISK_DECISIONS);
            PhaseTraffic traffic = new PhaseTraffic(plan);
            if (catalogue != null) {
                input.apply(Topics.RISK_RULESETS).pipeInput(catalogue.getMerchantId(), catalogue, start);
                TestInputTopic<String, Object> cards = input.apply(Topics.CARD_EVENTS);
                for (CardEvent issuance : traffic.cardIssuances(start)) {
                    cards.pipeInput(issuance.getCardId(), issuance, start);
                }
                for (PaymentRequest load : traffic.cardLoads(start, "load-")) {
                    payments.pipeInput(load.getAccountId(), load, start);
                }
            }
            TestOutputTopic<String, RiskDecision> decisions = catalogue == null ? null
                    : driver.createOutputTopic(Topics.RISK_DECISIONS.name(), decisionSerdes.keySerde().deserializer(),
                    decisionSerdes.valueSerde().deserializer());
            Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
            TestOutputTopic<byte[], byte[]> copies = catalogue != null ? null
                    : driver.createOutputTopic(COPY_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            // Warm-up: a tenth of the round, so the JIT has compiled the path before the measured part.
            int warmUp = requests / 10;
            long nanosPerRequest = 1_000_000_000L / plan.rate();
            // Made beforehand, so that the CPU time measured is the pipeline's, not the traffic's.
            PaymentRequest[] made = new PaymentRequest[requests];
            for (int index = 0; index < requests; index++) {
                made[index] = traffic.request(index, start.plusNanos(index * nanosPerRequest));
            }
            long cpuStart = 0;
            long allocatedStart = 0;
            for (int index = 0; index < requests; index++) {
                if (index == warmUp) {
                    cpuStart = THREADS.getCurrentThreadCpuTime();
                    allocatedStart = ALLOCATIONS.getCurrentThreadAllocatedBytes();
                }
                PaymentRequest request = made[index];
                payments.pipeInput(request.getAccountId(), request, request.getRequestedAt());
                if (index % 1_000 == 999) {
                    driver.advanceWallClockTime(Duration.ofNanos(1_000 * nanosPerRequest));
                }
            }
            long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
            long allocated = ALLOCATIONS.getCurrentThreadAllocatedBytes() - allocatedStart;
            Map<String, Double> written = writtenPerRequest(driver, requests);
            count(decisions, copies, outcomes);
            return new Result(cpu / (requests - warmUp), allocated / (requests - warmUp), outcomes, written);
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
            Utils.delete(state.toFile());
        }
    }

    /** Every record written since the start (rule set, cards and loads included, a few percent), per request. */
    private static Map<String, Double> writtenPerRequest(TopologyTestDriver driver, int requests) {
        Map<String, Double> written = new TreeMap<>();
        for (String topic : driver.producedTopicNames()) {
            TestOutputTopic<byte[], byte[]> output = driver.createOutputTopic(topic, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            written.put(topic, (double) output.getQueueSize() / requests);
        }
        return written;
    }

    /** Reads what was written: the decisions' outcomes, card loads and warm-up included. */
    private static void count(TestOutputTopic<String, RiskDecision> decisions, TestOutputTopic<byte[], byte[]> copies,
                              Map<Outcome, Integer> outcomes) {
        if (copies != null) {
            copies.readValuesToList();
            return;
        }
        for (RiskDecision decision : decisions.readValuesToList()) {
            outcomes.merge(decision.getOutcome(), 1, Integer::sum);
        }
    }

    /** The baseline: each request read and written to risk.decisions as it is, with the topics' serdes. */
    private static Topology passThrough(TopicSerdesSource serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        TopicSerdes<String, PaymentRequest> in = serdes.serdes(Topics.PAYMENT_REQUESTS);
        TopicSerdes<String, PaymentRequest> out = serdes.serdes(Topics.PAYMENT_REQUESTS);
        builder.stream(in.name(), Consumed.with(in.keySerde(), in.valueSerde()))
                .to(COPY_TOPIC, Produced.with(out.keySerde(), out.valueSerde()));
        return builder.build();
    }

    private static Properties properties(Path state) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "ngao-core-bench");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        properties.putAll(RiskExceptionHandlers.streamsProperties());
        // As risk-streams runs by default (NGAO_RISK_MAX_TASK_IDLE_MS): with 0, Kafka Streams formats a log
        // message for every record it checks, whatever the log level, which was a tenth of what this
        // benchmark allocated.
        properties.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, CONFIG.maxTaskIdleMs());
        return properties;
    }

    @SuppressWarnings("unchecked")
    private static TestInputTopic<String, Object> inputOf(TopologyTestDriver driver, TopicSerdesSource serdes,
                                                         Topic<String, ?> topic) {
        TopicSerdes<String, Object> topicSerdes = (TopicSerdes<String, Object>) serdes.serdes(topic);
        return driver.createInputTopic(topic.name(), topicSerdes.keySerde().serializer(),
                topicSerdes.valueSerde().serializer());
    }
}
