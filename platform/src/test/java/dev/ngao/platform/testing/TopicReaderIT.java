package dev.ngao.platform.testing;

import dev.ngao.events.Outcome;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.SampleEvents;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The topic reader and the cluster extension against the cluster the extension gives. */
@ExtendWith(KafkaClusterExtension.class)
class TopicReaderIT {

    private static KafkaContext kafka;
    private static KafkaTestCluster clusterOfBeforeAll;

    @BeforeAll
    static void connect(KafkaTestCluster cluster) {
        clusterOfBeforeAll = cluster;
        kafka = KafkaContext.connect(cluster.settings("topic-reader-it-" + UUID.randomUUID()));
        kafka.ensureTopics(List.of(Topics.RISK_DECISIONS), "topic-reader-it");
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void shouldGiveEveryTestOfAClassTheClusterItsBeforeAllGot(KafkaTestCluster cluster) {
        assertThat(cluster).isSameAs(clusterOfBeforeAll);
    }

    @Test
    void shouldReadEveryDecodedRecordUpToTheEndWhenAskedForAll() throws Exception {
        // Given three decisions of one run
        String run = UUID.randomUUID().toString();
        List<String> written = List.of(run + "-1", run + "-2", run + "-3");
        for (String transactionId : written) {
            send(SampleEvents.riskDecision(transactionId, Outcome.APPROVE).build());
        }

        // When the topic is read to its end
        List<String> read = TopicReader.readAll(kafka, Topics.RISK_DECISIONS).stream()
                .map(ConsumerRecord::value).map(RiskDecision::getTransactionId)
                .filter(transactionId -> transactionId.startsWith(run)).toList();

        // Then all three came back, decoded
        assertThat(read).containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void shouldWaitForARecordWrittenAfterTheReaderStartedAtTheEnd() throws Exception {
        // Given a reader at the end and an older decision it must not see
        String older = "older-" + UUID.randomUUID();
        send(SampleEvents.riskDecision(older, Outcome.DECLINE).build());
        try (TopicReader<String, RiskDecision> reader = TopicReader.fromEnd(kafka, Topics.RISK_DECISIONS)) {
            String newer = "newer-" + UUID.randomUUID();
            send(SampleEvents.riskDecision(newer, Outcome.APPROVE).build());

            // When the reader waits for any decision
            ConsumerRecord<String, RiskDecision> first = reader.awaitFirst(record -> true);

            // Then it is the one written after the reader started
            assertThat(first.key()).isEqualTo(newer);
            assertThat(first.value().getOutcome()).isEqualTo(Outcome.APPROVE);
        }
    }

    @Test
    void shouldFailNamingTheTopicWhenTheWantedRecordsDoNotComeInTime() {
        try (TopicReader<String, RiskDecision> reader = TopicReader.fromBeginning(kafka, Topics.RISK_DECISIONS)
                .within(Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> reader.await(record -> record.key().equals("never-written"), 1))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("0 of 1 wanted records found on " + Topics.RISK_DECISIONS.name());
        }
    }

    private static void send(RiskDecision decision) throws Exception {
        try (KafkaProducer<String, RiskDecision> producer = kafka.producer(Topics.RISK_DECISIONS, "topic-reader-it")) {
            producer.send(new ProducerRecord<>(Topics.RISK_DECISIONS.name(), decision.getTransactionId(), decision))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
