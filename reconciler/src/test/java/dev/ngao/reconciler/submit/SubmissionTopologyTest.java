package dev.ngao.reconciler.submit;

import dev.ngao.events.AccountKind;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.providers.ProviderAdapter;
import dev.ngao.providers.ProviderKind;
import dev.ngao.providers.ProviderStatusResult;
import dev.ngao.providers.http.ProviderCallException;
import dev.ngao.providers.report.SettlementReportFormat;
import dev.ngao.reconciler.DecisionsAndEntries;
import dev.ngao.reconciler.ProviderFixtures;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class SubmissionTopologyTest {

    private static final String HUB = ProviderKind.MOBILE_MONEY_HUB.id();
    private static final Instant START = Instant.parse("2026-11-20T12:00:00Z");
    private static final SubmissionPolicy POLICY = new SubmissionPolicy(Duration.ofSeconds(5), 3,
            Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofMillis(500), Duration.ofDays(7));

    @TempDir
    Path stateDirectory;

    private final ScriptedAdapter hub = new ScriptedAdapter(ProviderKind.MOBILE_MONEY_HUB);
    private String registryScope;
    private TopologyTestDriver driver;
    private TestInputTopic<String, PaymentRequest> requests;
    private TestInputTopic<String, RiskDecision> decisions;
    private TestInputTopic<String, JournalEntry> entries;
    private TestOutputTopic<String, ProviderEvent> answers;

    @BeforeEach
    void startDriver() {
        registryScope = "submission-topology-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(registryScope);
        TopicSerdes<String, PaymentRequest> requestSerdes = TopicSerdes.of(Topics.PAYMENT_REQUESTS, registry, true);
        TopicSerdes<String, RiskDecision> decisionSerdes = TopicSerdes.of(Topics.RISK_DECISIONS, registry, true);
        TopicSerdes<String, JournalEntry> entrySerdes = TopicSerdes.of(Topics.LEDGER_ENTRIES, registry, true);
        TopicSerdes<String, ProviderEvent> answerSerdes = TopicSerdes.of(Topics.PROVIDER_STATUS_QUERIES, registry, true);
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "submission-topology-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        driver = new TopologyTestDriver(SubmissionTopology.build(POLICY, Map.of(HUB, hub), requestSerdes,
                decisionSerdes, entrySerdes, answerSerdes, new SplittableRandom(7)), properties, START);
        requests = driver.createInputTopic(Topics.PAYMENT_REQUESTS.name(), requestSerdes.keySerde().serializer(),
                requestSerdes.valueSerde().serializer());
        decisions = driver.createInputTopic(Topics.RISK_DECISIONS.name(), decisionSerdes.keySerde().serializer(),
                decisionSerdes.valueSerde().serializer());
        entries = driver.createInputTopic(Topics.LEDGER_ENTRIES.name(), entrySerdes.keySerde().serializer(),
                entrySerdes.valueSerde().serializer());
        answers = driver.createOutputTopic(Topics.PROVIDER_STATUS_QUERIES.name(),
                answerSerdes.keySerde().deserializer(), answerSerdes.valueSerde().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
        InMemorySchemaRegistry.dropScope(registryScope);
    }

    @Test
    void shouldSubmitApprovedPaymentAndWriteProviderAnswer() {
        // Given
        hub.answering(() -> pending("tx-1"));

        // When
        requests.pipeInput("account-tx-1", request("tx-1", PaymentType.MOBILE_MONEY_COLLECTION));
        decisions.pipeInput("tx-1", decision("tx-1", Outcome.APPROVE, DecisionKind.INITIAL));

        // Then
        assertThat(hub.submitted).containsExactly("tx-1");
        ProviderEvent answer = answers.readValue();
        assertThat(answer.getTransactionId()).isEqualTo("tx-1");
        assertThat(answer.getStatus()).isEqualTo(ProviderStatus.PENDING);
        assertThat(answer.getProviderReference()).isEqualTo("HUB-tx-1");
        assertThat(answer.getSource()).isEqualTo(ProviderEventSource.STATUS_QUERY);
        assertThat(answer.getEventId()).isEqualTo("sub:mobile-money-hub:tx-1:PENDING");
        assertThat(answer.getAmount()).isEqualTo(new Money(25_000L, "KES"));
        assertThat(answers.isEmpty()).isTrue();
    }

    @Test
    void shouldSubmitWhenTheRequestIsReadAfterItsApproval() {
        // Given the decision's partition was read first
        hub.answering(() -> pending("tx-2"));
        decisions.pipeInput("tx-2", decision("tx-2", Outcome.APPROVE, DecisionKind.INITIAL));
        assertThat(hub.submitted).isEmpty();

        // When
        requests.pipeInput("account-tx-2", request("tx-2", PaymentType.MOBILE_MONEY_COLLECTION));

        // Then
        assertThat(hub.submitted).containsExactly("tx-2");
        assertThat(answers.readValue().getStatus()).isEqualTo(ProviderStatus.PENDING);
    }

    @Test
    void shouldSubmitPayoutOnlyOnceTheLedgerHoldsItsMoney() {
        // Given a payout risk approved
        hub.answering(() -> pending("tx-10"));
        requests.pipeInput("account-tx-10", request("tx-10", PaymentType.MOBILE_MONEY_PAYOUT));
        decisions.pipeInput("tx-10", RiskDecision.newBuilder(decision("tx-10", Outcome.APPROVE, DecisionKind.INITIAL))
                .setType(PaymentType.MOBILE_MONEY_PAYOUT).build());
        assertThat(hub.submitted).isEmpty();

        // When the ledger posts its hold (a refused payout has none, and is never sent)
        entries.pipeInput("tx-10", DecisionsAndEntries.entry("je:tx-10:approved", "tx-10",
                SubmissionProcessor.PAYOUT_HOLD_KIND, 25_000L, "KES"));
        entries.pipeInput("tx-10", DecisionsAndEntries.entry("je:tx-10:approved", "tx-10",
                SubmissionProcessor.PAYOUT_HOLD_KIND, 25_000L, "KES"));

        // Then it is sent, once
        assertThat(hub.submitted).containsExactly("tx-10");
        assertThat(answers.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldSubmitNothingForDeclinedOrReviewedUntilResolutionApproves() {
        // Given
        hub.answering(() -> pending("tx-4"));
        requests.pipeInput("account-tx-3", request("tx-3", PaymentType.MOBILE_MONEY_COLLECTION));
        requests.pipeInput("account-tx-4", request("tx-4", PaymentType.MOBILE_MONEY_COLLECTION));

        // When tx-3 is declined, tx-4 goes to review
        decisions.pipeInput("tx-3", decision("tx-3", Outcome.DECLINE, DecisionKind.INITIAL));
        decisions.pipeInput("tx-4", decision("tx-4", Outcome.REVIEW, DecisionKind.INITIAL));

        // Then
        assertThat(hub.submitted).isEmpty();
        assertThat(driver.getKeyValueStore(SubmissionTopology.REQUESTS_STORE).get("tx-3")).isNull();

        // When the analyst approves tx-4
        decisions.pipeInput("tx-4", decision("tx-4", Outcome.APPROVE, DecisionKind.REVIEW_RESOLUTION));

        // Then
        assertThat(hub.submitted).containsExactly("tx-4");
        assertThat(answers.readValuesToList()).extracting(ProviderEvent::getTransactionId).containsExactly("tx-4");
    }

    @Test
    void shouldSubmitOnceWhenTheApprovalIsDeliveredAgain() {
        // Given
        hub.answering(() -> pending("tx-5"));
        requests.pipeInput("account-tx-5", request("tx-5", PaymentType.MOBILE_MONEY_COLLECTION));

        // When
        decisions.pipeInput("tx-5", decision("tx-5", Outcome.APPROVE, DecisionKind.INITIAL));
        decisions.pipeInput("tx-5", decision("tx-5", Outcome.APPROVE, DecisionKind.INITIAL));
        requests.pipeInput("account-tx-5", request("tx-5", PaymentType.MOBILE_MONEY_COLLECTION));

        // Then
        assertThat(hub.submitted).containsExactly("tx-5");
        assertThat(answers.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldRetryRetryableFailuresWithBackoffUntilAnswered() {
        // Given the provider is down for the first submission
        hub.answering(() -> {
            throw ProviderCallException.status(HUB, "submit", 503, null);
        }, () -> pending("tx-6"));
        requests.pipeInput("account-tx-6", request("tx-6", PaymentType.MOBILE_MONEY_COLLECTION));
        decisions.pipeInput("tx-6", decision("tx-6", Outcome.APPROVE, DecisionKind.INITIAL));
        assertThat(hub.submitted).containsExactly("tx-6");
        assertThat(answers.isEmpty()).isTrue();

        // When the backoff (at most 1 s after the first failure) has passed
        driver.advanceWallClockTime(Duration.ofMillis(1_100));

        // Then
        assertThat(hub.submitted).containsExactly("tx-6", "tx-6");
        assertThat(answers.readValue().getStatus()).isEqualTo(ProviderStatus.PENDING);
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(hub.submitted).hasSize(2);
    }

    @Test
    void shouldLeaveThePaymentToTheChaserAfterTheLastAttempt() {
        // Given every submission times out at the transport
        hub.answering(() -> {
            throw ProviderCallException.transport(HUB, "submit", new java.net.http.HttpTimeoutException("timeout"));
        });
        requests.pipeInput("account-tx-7", request("tx-7", PaymentType.MOBILE_MONEY_COLLECTION));
        decisions.pipeInput("tx-7", decision("tx-7", Outcome.APPROVE, DecisionKind.INITIAL));

        // When far more time passes than three attempts need
        for (int i = 0; i < 20; i++) {
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }

        // Then three attempts, no status guessed
        assertThat(hub.submitted).hasSize(3);
        assertThat(answers.isEmpty()).isTrue();
        assertThat(SubmissionState.decode(driver.<String, String>getKeyValueStore(SubmissionTopology.STATE_STORE)
                .get("tx-7")).phase()).isEqualTo(SubmissionState.Phase.DONE);
    }

    @Test
    void shouldTurnARefusalIntoAFailedStatus() {
        // Given the provider refuses the submission outright
        hub.answering(() -> {
            throw ProviderCallException.status(HUB, "submit", 422, null);
        });
        requests.pipeInput("account-tx-8", request("tx-8", PaymentType.MOBILE_MONEY_COLLECTION));

        // When
        decisions.pipeInput("tx-8", decision("tx-8", Outcome.APPROVE, DecisionKind.INITIAL));

        // Then
        ProviderEvent failed = answers.readValue();
        assertThat(failed.getStatus()).isEqualTo(ProviderStatus.FAILED);
        assertThat(failed.getProviderReference()).isNull();
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(hub.submitted).hasSize(1);
    }

    @Test
    void shouldNotSubmitCardFlows() {
        // When
        requests.pipeInput("account-tx-9", request("tx-9", PaymentType.CARD_AUTHORIZATION));
        decisions.pipeInput("tx-9", RiskDecision.newBuilder(ProviderFixtures.approval("tx-9", HUB, 100, "KES", START))
                .setType(PaymentType.CARD_AUTHORIZATION).build());

        // Then
        assertThat(hub.submitted).isEmpty();
        assertThat(answers.isEmpty()).isTrue();
    }

    private static ProviderStatusResult pending(String transactionId) {
        return new ProviderStatusResult(transactionId, "HUB-" + transactionId, ProviderStatus.PENDING,
                new Money(25_000L, "KES"), null, START);
    }

    private static RiskDecision decision(String transactionId, Outcome outcome, DecisionKind kind) {
        return RiskDecision.newBuilder(ProviderFixtures.approval(transactionId, HUB, 25_000L, "KES", START))
                .setOutcome(outcome).setKind(kind).build();
    }

    private static PaymentRequest request(String transactionId, PaymentType type) {
        return PaymentRequest.newBuilder()
                .setTransactionId(transactionId)
                .setType(type)
                .setMerchantId("merchant-1")
                .setMerchantReference("order-" + transactionId)
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("account-" + transactionId)
                .setAmount(new Money(25_000L, "KES"))
                .setProvider(HUB)
                .setMobileMoney(MobileMoneyDetails.newBuilder().setMsisdn("+254700000001")
                        .setMsisdnMasked("+2547******01").setOperator("MPESA").build())
                .setApiKeyId("key-1")
                .setRequestedAt(START)
                .build();
    }

    /** Answers each submission with the next scripted answer (the last one repeats). */
    private static final class ScriptedAdapter implements ProviderAdapter {

        private final ProviderKind kind;
        private final Deque<Supplier<ProviderStatusResult>> script = new ArrayDeque<>();
        final List<String> submitted = new ArrayList<>();

        ScriptedAdapter(ProviderKind kind) {
            this.kind = kind;
        }

        @SafeVarargs
        final void answering(Supplier<ProviderStatusResult>... answers) {
            script.addAll(List.of(answers));
        }

        @Override
        public ProviderKind kind() {
            return kind;
        }

        @Override
        public CompletionStage<ProviderStatusResult> submit(PaymentRequest request) {
            submitted.add(request.getTransactionId());
            Supplier<ProviderStatusResult> next = script.size() > 1 ? script.poll() : script.peek();
            try {
                return CompletableFuture.completedFuture(next.get());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public CompletionStage<ProviderStatusResult> queryStatus(String transactionId, String providerReference) {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public CompletionStage<Boolean> probe() {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public SettlementReportFormat reportFormat() {
            throw new UnsupportedOperationException("not used");
        }
    }
}
