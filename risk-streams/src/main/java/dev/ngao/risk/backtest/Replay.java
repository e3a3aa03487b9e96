package dev.ngao.risk.backtest;

import dev.ngao.events.CardEvent;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.risk.topology.RiskExceptionHandlers;
import dev.ngao.risk.topology.RiskTopology;
import dev.ngao.risk.topology.TopicSerdesSource;
import dev.ngao.risk.topology.TopologyOptions;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * Decides recorded requests again with the real topology under TopologyTestDriver, in a state directory
 * and schema registry of its own that are deleted afterwards: no broker, no live store is touched. The rule
 * sets are published first, then the records are piped in replay order with their own timestamps.
 */
final class Replay {

    private Replay() {
    }

    /**
     * @param ruleSets the rule sets in force, published in this order (a later one of an owner replaces an earlier)
     * @return transaction id -> its INITIAL decision, in decision order
     */
    static Map<String, RiskDecision> decide(TopologyOptions options, Collection<RuleSetPublished> ruleSets,
                                            List<RecordedInput> records) {
        Path stateDirectory;
        try {
            stateDirectory = Files.createTempDirectory("ngao-backtest-");
        } catch (IOException e) {
            throw new UncheckedIOException("no temporary state directory for the backtest", e);
        }
        String scope = "ngao-backtest-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(scope);
        Instant start = records.isEmpty() ? Instant.EPOCH : records.get(0).timestamp();
        try (TopologyTestDriver driver = new TopologyTestDriver(
                RiskTopology.build(TopicSerdesSource.over(registry), options), properties(stateDirectory), start)) {
            TestInputTopic<String, RuleSetPublished> ruleSetInput = input(driver, registry, Topics.RISK_RULESETS);
            TestInputTopic<String, PaymentRequest> requests = input(driver, registry, Topics.PAYMENT_REQUESTS);
            TestInputTopic<String, CardEvent> cards = input(driver, registry, Topics.CARD_EVENTS);
            TestInputTopic<String, ListEntryChange> lists = input(driver, registry, Topics.RISK_LISTS);
            TopicSerdes<String, RiskDecision> decisionSerdes = TopicSerdes.of(Topics.RISK_DECISIONS, registry, true);
            TestOutputTopic<String, RiskDecision> decisions = driver.createOutputTopic(Topics.RISK_DECISIONS.name(),
                    decisionSerdes.keySerde().deserializer(), decisionSerdes.valueSerde().deserializer());
            for (RuleSetPublished ruleSet : ruleSets) {
                ruleSetInput.pipeInput(ruleSet.getMerchantId(), ruleSet, start);
            }
            Map<String, RiskDecision> decided = new LinkedHashMap<>();
            for (RecordedInput record : records) {
                if (record.value() instanceof PaymentRequest request) {
                    requests.pipeInput(record.key(), request, record.timestamp());
                } else if (record.value() instanceof CardEvent event) {
                    cards.pipeInput(record.key(), event, record.timestamp());
                } else {
                    lists.pipeInput(record.key(), (ListEntryChange) record.value(), record.timestamp());
                }
                for (RiskDecision decision : decisions.readValuesToList()) {
                    if (decision.getKind() == DecisionKind.INITIAL) {
                        decided.putIfAbsent(decision.getTransactionId(), decision);
                    }
                }
            }
            return decided;
        } finally {
            InMemorySchemaRegistry.dropScope(scope);
            deleteRecursively(stateDirectory);
        }
    }

    private static Properties properties(Path stateDirectory) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "ngao-backtest");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        properties.putAll(RiskExceptionHandlers.streamsProperties());
        return properties;
    }

    private static <V> TestInputTopic<String, V> input(TopologyTestDriver driver, InMemorySchemaRegistry registry,
                                                       Topic<String, V> topic) {
        TopicSerdes<String, V> serdes = TopicSerdes.of(topic, registry, true);
        return driver.createInputTopic(topic.name(), serdes.keySerde().serializer(), serdes.valueSerde().serializer());
    }


    private static void deleteRecursively(Path directory) {
        try {
            Utils.delete(directory.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the backtest state in " + directory, e);
        }
    }
}
