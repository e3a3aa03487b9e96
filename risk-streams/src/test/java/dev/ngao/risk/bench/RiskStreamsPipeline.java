package dev.ngao.risk.bench;

import dev.ngao.events.AccountKind;
import dev.ngao.events.CardDetails;
import dev.ngao.events.CardEvent;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.testing.KafkaTestCluster;
import dev.ngao.risk.RiskConfig;
import dev.ngao.risk.RiskStreamsService;
import dev.ngao.risk.topology.DecisionMetrics;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The real risk-streams service (RiskStreamsService: the whole topology, exactly_once_v2, RocksDB stores) with
 * default.yaml published and verified in force. One service and one application id for the whole benchmark,
 * as in production; phases keep apart through their own accounts, merchants and signal values.
 */
final class RiskStreamsPipeline implements Pipeline {

    static final String APPLICATION_ID = "risk-bench";

    private static final String CARD_STATE_RULE = "card-state";
    private static final Duration CARDS_KNOWN_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CARDS_LOADED_TIMEOUT = Duration.ofSeconds(300);
    /** Transaction ids of the card loads: probe ids, which no phase reads. */
    private static final String LOAD_PREFIX = "probe-load-";

    private final KafkaContext kafka;
    private final KafkaContext serviceKafka;
    private final RiskStreamsService service;
    private final Path stateDirectory;
    private final RuleSetPublished ruleSet;
    private final DecisionProbe probe;
    private final Deserializer<RiskDecision> decisions;

    private RiskStreamsPipeline(KafkaContext kafka, KafkaContext serviceKafka, RiskStreamsService service,
                                Path stateDirectory, RuleSetPublished ruleSet) {
        this.kafka = kafka;
        this.serviceKafka = serviceKafka;
        this.service = service;
        this.stateDirectory = stateDirectory;
        this.ruleSet = ruleSet;
        this.probe = new DecisionProbe(kafka, this::checkHealthy);
        this.decisions = kafka.serdes(Topics.RISK_DECISIONS).valueSerde().deserializer();
    }

    /** Starts the service, publishes default.yaml and returns once a decision shows it in force. */
    static RiskStreamsPipeline start(KafkaTestCluster cluster, KafkaContext kafka, String registryScope)
            throws Exception {
        Path state = Files.createTempDirectory("ngao-risk-bench");
        Map<String, String> environment = new HashMap<>(cluster.environment(registryScope));
        environment.put("NGAO_RISK_APPLICATION_ID", APPLICATION_ID);
        environment.put("NGAO_RISK_STATE_DIR", state.toString());
        environment.put("NGAO_RISK_HTTP_PORT", "0");
        environment.put("NGAO_RISK_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        // The engine settings under test may be set from the caller's environment (NGAO_RISK_COMMIT_INTERVAL_MS,
        // NGAO_RISK_STREAM_THREADS...); the phase labels print what ran.
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("NGAO_RISK_") && !environment.containsKey(name)) {
                environment.put(name, value);
            }
        });
        RiskConfig config = RiskConfig.fromEnvironment(environment);
        KafkaContext serviceKafka = KafkaContext.connect(KafkaSettings.from(config));
        RiskStreamsService service = new RiskStreamsService(config, serviceKafka);
        service.start();
        RuleSetPublished ruleSet = RuleSetInForce.read();
        RuleSetInForce.publish(kafka, ruleSet);
        RiskStreamsPipeline pipeline = new RiskStreamsPipeline(kafka, serviceKafka, service, state, ruleSet);
        pipeline.engine = String.format(Locale.ROOT, "commit %d ms, %d stream threads", config.commitIntervalMs(),
                config.streamThreads());
        RiskDecision first = RuleSetInForce.awaitInForce(pipeline.probe, ruleSet);
        System.out.printf(Locale.ROOT, "risk-streams: %s version %s in force (%d rules), seen in probe decision "
                        + "%s: %s by %s%n", RuleSetInForce.RESOURCE, ruleSet.getVersion(), ruleSet.getRules().size(),
                first.getTransactionId(), first.getOutcome(), first.getReasons().stream()
                        .map(reason -> reason.getRuleId() + "@" + reason.getRuleSetVersion()).toList());
        return pipeline;
    }

    /** {@link DecisionMetrics#waitedTotal()} when the phase's traffic started. */
    private double waitedBeforePhase;

    /** The engine settings the service runs with, for the label. */
    private String engine = "";

    @Override
    public String name() {
        return "risk-streams";
    }

    @Override
    public String label() {
        long enforced = RuleSetInForce.enforcedRules(ruleSet);
        return String.format(Locale.ROOT, "risk-streams, default.yaml %s (%d rules: %d enforced, %d shadow) in force, "
                        + "exactly_once_v2, %s", ruleSet.getVersion(), ruleSet.getRules().size(), enforced,
                ruleSet.getRules().size() - enforced, engine);
    }

    @Override
    public String inputTopic() {
        return Topics.PAYMENT_REQUESTS.name();
    }

    @Override
    public String outputTopic() {
        return Topics.RISK_DECISIONS.name();
    }

    /**
     * Issues the phase's cards on cards.events, then one probe card on each partition after them: the global
     * store reads each partition in order, so once every probe card is known, every card of the phase is.
     */
    @Override
    public void beforePhase(PhasePlan plan, PhaseTraffic traffic) throws Exception {
        Instant now = Instant.now();
        List<CardEvent> issuances = traffic.cardIssuances(now);
        List<String> probeCards = new ArrayList<>();
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<String, CardEvent> producer = kafka.producer(Topics.CARD_EVENTS, "bench-card-issuer")) {
            for (CardEvent issuance : issuances) {
                producer.send(new ProducerRecord<>(Topics.CARD_EVENTS.name(), issuance.getCardId(), issuance),
                        (metadata, exception) -> failed.compareAndSet(null, exception));
            }
            for (int partition = 0; partition < Topics.CARD_EVENTS.partitions(); partition++) {
                String cardId = "probe-card-" + plan.number() + "-" + partition;
                probeCards.add(cardId);
                producer.send(new ProducerRecord<>(Topics.CARD_EVENTS.name(), partition, cardId,
                                PhaseTraffic.issuance(cardId, now)),
                        (metadata, exception) -> failed.compareAndSet(null, exception));
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("could not issue the cards of phase " + plan.number(), failed.get());
        }
        awaitCardsKnown(probeCards);
        System.out.printf(Locale.ROOT, "  issued %,d cards on %s for phase %d; risk-streams knows them%n",
                issuances.size(), Topics.CARD_EVENTS.name(), plan.number());
        loadCards(plan, traffic.cardLoads(Instant.now(), LOAD_PREFIX));
        waitedBeforePhase = DecisionMetrics.waitedTotal();
    }

    /**
     * How many of the phase's requests waited for a shared limit's budget: a phase's merchants are new, so each
     * merchant's day starts in it, as every merchant's does at midnight UTC.
     */
    @Override
    public Optional<String> phaseNote() {
        return Optional.of(String.format(Locale.ROOT, "requests that waited for a shared limit's budget (merchants' "
                + "daily limits, new this phase): %,.0f", DecisionMetrics.waitedTotal() - waitedBeforePhase));
    }

    /**
     * Loads the phase's cards through risk-streams itself (a CARD_LOAD is decided like any request, and an
     * approved one adds to the card's funds), and waits until every load is decided: otherwise the card-funds
     * rule declines the phase's authorizations {@code insufficient-funds}. Fails if a load is not approved.
     */
    private void loadCards(PhasePlan plan, List<PaymentRequest> loads) throws Exception {
        Map<String, RiskDecision> decided = probe.ask(loads, CARDS_LOADED_TIMEOUT);
        Map<String, Long> declinedBy = new TreeMap<>();
        long approved = 0;
        for (RiskDecision decision : decided.values()) {
            if (decision.getOutcome() == Outcome.APPROVE) {
                approved++;
            } else {
                decision.getReasons().forEach(reason -> declinedBy.merge(reason.getRuleId(), 1L, Long::sum));
            }
        }
        if (approved != loads.size()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "only %,d of the %,d card loads of phase %d "
                    + "were approved (%,d decided; rules of the others: %s)", approved, loads.size(), plan.number(),
                    decided.size(), declinedBy));
        }
        System.out.printf(Locale.ROOT, "  loaded the %,d cards through risk-streams (every load approved)%n",
                loads.size());
    }

    private void awaitCardsKnown(List<String> probeCards) throws Exception {
        long deadline = System.nanoTime() + CARDS_KNOWN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<PaymentRequest> requests = probeCards.stream()
                    .map(cardId -> cardProbe(probe.nextTransactionId(), cardId)).toList();
            Map<String, RiskDecision> decided = probe.ask(requests, Duration.ofSeconds(10));
            boolean allKnown = decided.size() == requests.size() && decided.values().stream()
                    .flatMap(decision -> decision.getReasons().stream())
                    .noneMatch(reason -> CARD_STATE_RULE.equals(reason.getRuleId()));
            if (allKnown) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("risk-streams did not know the issued cards within "
                + CARDS_KNOWN_TIMEOUT.toSeconds() + " s");
    }

    private static PaymentRequest cardProbe(String transactionId, String cardId) {
        return PaymentRequest.newBuilder()
                .setTransactionId(transactionId)
                .setType(PaymentType.CARD_AUTHORIZATION)
                .setMerchantId("bench-probe")
                .setMerchantReference(transactionId)
                .setAccountKind(AccountKind.CARD)
                .setAccountId(cardId)
                .setAmount(new Money(100L, "KES"))
                .setProvider("card-network")
                .setCountry("KE")
                .setCard(new CardDetails(cardId, "5411", "KE"))
                .setApiKeyId(PhaseTraffic.API_KEY_ID)
                .setRequestedAt(Instant.now())
                .build();
    }

    @Override
    public Answer read(ConsumerRecord<byte[], byte[]> record) {
        RiskDecision decision = decisions.deserialize(Topics.RISK_DECISIONS.name(), record.value());
        return new Answer(decision.getTransactionId(), decision.getRequestedAt(), decision.getOutcome(),
                decision.getReasons());
    }

    @Override
    public Optional<String> ruleSetVersion() {
        return Optional.of(ruleSet.getVersion());
    }

    @Override
    public void checkHealthy() {
        KafkaStreams.State state = service.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw new IllegalStateException("risk-streams is " + state + ", not running",
                    service.failure().getNow(null));
        }
    }

    /** Stops the service and deletes its RocksDB state: a run leaves nothing behind in the temp directory. */
    @Override
    public void close() throws IOException {
        probe.close();
        service.close();
        serviceKafka.close();
        try (Stream<Path> files = Files.walk(stateDirectory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
