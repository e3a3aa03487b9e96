package dev.ngao.risk.topology;

import dev.ngao.risk.RiskStreamsService;
import dev.ngao.rules.RuleSetCompiler;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The shape the design relies on: who shares a task with whom, and which topics are internal. */
class TopologyShapeTest {

    private final String scope = "topology-shape-" + UUID.randomUUID();
    private final InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(scope);

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    private <K, V> TopicSerdes<K, V> serdes(Topic<K, V> topic) {
        return TopicSerdes.of(topic, registry, true);
    }

    private TopologyDescription describe() {
        return RiskTopology.build(this::serdes,
                TopologyOptions.defaults(RiskDriver.BUILT_IN, new RuleSetCompiler()::compile, 6)).describe();
    }

    @Test
    void shouldDecideInOneHopFromRequestsToDecisions() {
        // Given the topology's sub-topologies
        Collection<TopologyDescription.Subtopology> subtopologies = describe().subtopologies();

        // Then the decision task reads payments.requests (with its commands, co-partitioned) and writes
        // risk.decisions itself: no repartition topic and no other task between a request and its decision
        assertThat(subtopologies).anySatisfy(subtopology -> {
            assertThat(processors(subtopology)).contains(RiskTopology.DECISION_TASK);
            assertThat(sourceTopics(subtopology)).containsExactlyInAnyOrder(Topics.PAYMENT_REQUESTS.name(),
                    Topics.RISK_COMMANDS.name());
            assertThat(sinkTopics(subtopology)).containsExactlyInAnyOrder(Topics.RISK_DECISIONS.name(),
                    Topics.RISK_SIGNALS.name(), Topics.RISK_BUDGET_REQUESTS.name());
        });
        // The budget owner and the lifecycle are off the decision path, in their own sub-topologies
        assertThat(subtopologies).anySatisfy(subtopology -> {
            assertThat(processors(subtopology)).contains(RiskTopology.BUDGET_OWNER);
            assertThat(sourceTopics(subtopology)).containsExactly(Topics.RISK_BUDGET_REQUESTS.name());
        });
        assertThat(subtopologies).anySatisfy(subtopology -> {
            assertThat(processors(subtopology)).contains(RiskTopology.LIFECYCLE);
            assertThat(sourceTopics(subtopology)).containsExactlyInAnyOrder(Topics.RISK_DECISIONS.name(),
                    Topics.PROVIDER_EVENTS.name(), Topics.RISK_REVIEWS.name(), Topics.CARD_AUTHORIZATIONS.name(),
                    Topics.LEDGER_REFUSALS.name());
        });
        assertThat(subtopologies).hasSize(3);
        assertThat(subtopologies).allSatisfy(subtopology ->
                assertThat(sourceTopics(subtopology)).noneMatch(topic -> topic.endsWith("-repartition")));
    }

    @Test
    void shouldHaveTheServiceCreateEveryTopicTheTopologyReadsOrWrites() {
        // Given every topic a source, a sink or a global store of the topology names
        Set<String> named = new HashSet<>();
        TopologyDescription description = describe();
        description.subtopologies().forEach(subtopology -> {
            named.addAll(sourceTopics(subtopology));
            named.addAll(sinkTopics(subtopology));
        });
        description.globalStores().forEach(store -> named.addAll(store.source().topicSet()));

        // Then the service ensures each exists before it starts (a missing source topic stops Kafka Streams)
        assertThat(RiskStreamsService.TOPICS.stream().map(Topic::name).toList()).containsAll(named);
    }

    @Test
    void shouldKeepRuleSetsCardsListsAndCrossAccountSignalsInGlobalStores() {
        Set<String> globalStores = new HashSet<>();
        describe().globalStores().forEach(store -> globalStores.addAll(store.processor().stores()));

        assertThat(globalStores).containsExactlyInAnyOrder(RiskTopology.RULE_SETS_STORE, RiskTopology.CARDS_STORE,
                RiskTopology.LISTS_STORE, RiskTopology.STOPS_STORE, RiskTopology.SIGNALS_STORE);
    }

    private static Set<String> sinkTopics(TopologyDescription.Subtopology subtopology) {
        Set<String> topics = new HashSet<>();
        subtopology.nodes().stream().filter(TopologyDescription.Sink.class::isInstance)
                .map(TopologyDescription.Sink.class::cast)
                .forEach(sink -> topics.add(sink.topic()));
        return topics;
    }

    private static List<String> processors(TopologyDescription.Subtopology subtopology) {
        return subtopology.nodes().stream().map(TopologyDescription.Node::name).toList();
    }

    private static Set<String> sourceTopics(TopologyDescription.Subtopology subtopology) {
        Set<String> topics = new HashSet<>();
        subtopology.nodes().stream().filter(TopologyDescription.Source.class::isInstance)
                .map(TopologyDescription.Source.class::cast)
                .forEach(source -> topics.addAll(source.topicSet()));
        return topics;
    }
}
