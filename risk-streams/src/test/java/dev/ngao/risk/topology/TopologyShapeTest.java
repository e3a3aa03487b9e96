package dev.ngao.risk.topology;

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
    void shouldRunReleasesInTheTaskOfTheStageHoldingTheReservation() {
        // Given the topology's sub-topologies
        Collection<TopologyDescription.Subtopology> subtopologies = describe().subtopologies();

        // Then the account stage and its releases share one sub-topology (so one task per partition), fed by
        // payments.requests and the account releases topic; likewise the dimension stage and its releases
        assertThat(subtopologies).anySatisfy(subtopology -> {
            assertThat(processors(subtopology)).contains(RiskTopology.ACCOUNT_STAGE, "account-release");
            assertThat(sourceTopics(subtopology)).containsExactlyInAnyOrder(Topics.PAYMENT_REQUESTS.name(),
                    RiskTopology.ACCOUNT_RELEASES_TOPIC + "-repartition");
        });
        assertThat(subtopologies).anySatisfy(subtopology -> {
            assertThat(processors(subtopology)).contains(RiskTopology.DIMENSION_STAGE, "dimension-release");
            assertThat(sourceTopics(subtopology)).containsExactlyInAnyOrder(
                    RiskTopology.DIMENSION_REQUESTS_TOPIC + "-repartition",
                    RiskTopology.DIMENSION_RELEASES_TOPIC + "-repartition");
        });
        assertThat(subtopologies).anySatisfy(subtopology -> {
            assertThat(processors(subtopology)).contains(RiskTopology.JOIN_STAGE);
            assertThat(sourceTopics(subtopology)).containsExactlyInAnyOrder(Topics.PROVIDER_EVENTS.name(),
                    Topics.RISK_REVIEWS.name(), RiskTopology.ACCOUNT_VERDICTS_TOPIC + "-repartition",
                    RiskTopology.DIMENSION_VERDICTS_TOPIC + "-repartition");
        });
        assertThat(subtopologies).hasSize(3);
    }

    @Test
    void shouldKeepRuleSetsCardsAndListsInGlobalStores() {
        Set<String> globalStores = new HashSet<>();
        describe().globalStores().forEach(store -> globalStores.addAll(store.processor().stores()));

        assertThat(globalStores).containsExactlyInAnyOrder(RiskTopology.RULE_SETS_STORE, RiskTopology.CARDS_STORE,
                RiskTopology.LISTS_STORE);
        assertThat(RiskTopology.internalTopicName("ngao-risk", RiskTopology.ACCOUNT_VERDICTS_TOPIC))
                .isEqualTo("ngao-risk-risk-account-verdicts-repartition");
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
