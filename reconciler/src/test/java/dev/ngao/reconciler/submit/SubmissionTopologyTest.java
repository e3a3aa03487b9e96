package dev.ngao.reconciler.submit;

import dev.ngao.events.DecisionKind;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.ProviderCallOutcome;
import dev.ngao.events.ProviderCallPurpose;
import dev.ngao.events.ProviderEvent;
import dev.ngao.events.ProviderEventSource;
import dev.ngao.events.ProviderStatus;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.SubmissionIntent;
import dev.ngao.events.SubmissionResult;
import dev.ngao.providers.ProviderKind;
import dev.ngao.reconciler.DecisionsAndEntries;
import dev.ngao.reconciler.ProviderFixtures;
import dev.ngao.schemas.SampleEvents;
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

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The submission processor with TopologyTestDriver: it decides, writes intents and goes on from results, and
 * never calls a provider (the dispatcher's results are piped in here by hand).
 */
class SubmissionTopologyTest {

    private static final String HUB = ProviderKind.MOBILE_MONEY_HUB.id();
    private static final Instant START = Instant.parse("2026-11-20T12:00:00Z");
    private static final SubmissionPolicy POLICY = new SubmissionPolicy(Duration.ofSeconds(5), 3,
            Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofMillis(500), Duration.ofDays(7));

    @TempDir
    Path stateDirectory;

    private String registryScope;
    private TopologyTestDriver driver;
    private TestInputTopic<String, PaymentRequest> requests;
    private TestInputTopic<String, RiskDecision> decisions;
    private TestInputTopic<String, JournalEntry> entries;
    private TestInputTopic<String, SubmissionResult> results;
    private TestOutputTopic<String, SubmissionIntent> intents;
    private TestOutputTopic<String, ProviderEvent> answers;

    @BeforeEach
    void startDriver() {
        registryScope = "submission-topology-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(registryScope);
        TopicSerdes<String, PaymentRequest> requestSerdes = TopicSerdes.of(Topics.PAYMENT_REQUESTS, registry, true);
        TopicSerdes<String, RiskDecision> decisionSerdes = TopicSerdes.of(Topics.RISK_DECISIONS, registry, true);
        TopicSerdes<String, JournalEntry> entrySerdes = TopicSerdes.of(Topics.LEDGER_ENTRIES, registry, true);
        TopicSerdes<String, SubmissionResult> resultSerdes =
                TopicSerdes.of(Topics.PROVIDER_SUBMISSION_RESULTS, registry, true);
        TopicSerdes<String, SubmissionIntent> intentSerdes = TopicSerdes.of(Topics.PROVIDER_SUBMISSIONS, registry, true);
        TopicSerdes<String, ProviderEvent> answerSerdes = TopicSerdes.of(Topics.PROVIDER_STATUS_QUERIES, registry, true);
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "submission-topology-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        driver = new TopologyTestDriver(SubmissionTopology.build(POLICY, requestSerdes, decisionSerdes, entrySerdes,
                resultSerdes, intentSerdes, answerSerdes, new SplittableRandom(7)), properties, START);
        requests = driver.createInputTopic(Topics.PAYMENT_REQUESTS.name(), requestSerdes.keySerde().serializer(),
                requestSerdes.valueSerde().serializer());
        decisions = driver.createInputTopic(Topics.RISK_DECISIONS.name(), decisionSerdes.keySerde().serializer(),
                decisionSerdes.valueSerde().serializer());
        entries = driver.createInputTopic(Topics.LEDGER_ENTRIES.name(), entrySerdes.keySerde().serializer(),
                entrySerdes.valueSerde().serializer());
        results = driver.createInputTopic(Topics.PROVIDER_SUBMISSION_RESULTS.name(),
                resultSerdes.keySerde().serializer(), resultSerdes.valueSerde().serializer());
        intents = driver.createOutputTopic(Topics.PROVIDER_SUBMISSIONS.name(),
                intentSerdes.keySerde().deserializer(), intentSerdes.valueSerde().deserializer());
        answers = driver.createOutputTopic(Topics.PROVIDER_STATUS_QUERIES.name(),
                answerSerdes.keySerde().deserializer(), answerSerdes.valueSerde().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
        InMemorySchemaRegistry.dropScope(registryScope);
    }

    @Test
    void shouldWriteAnIntentAndNoAnswerWhenApprovedBecauseTheCallIsTheDispatchers() {
        // When a collection's request and approval arrive
        requests.pipeInput("account-tx-1", request("tx-1", PaymentType.MOBILE_MONEY_COLLECTION));
        decisions.pipeInput("tx-1", decision("tx-1", Outcome.APPROVE, DecisionKind.INITIAL));

        // Then the outbox has one intent, the first attempt, carrying the request, and nothing else is written
        SubmissionIntent intent = intents.readValue();
        assertThat(intent.getTransactionId()).isEqualTo("tx-1");
        assertThat(intent.getProvider()).isEqualTo(HUB);
        assertThat(intent.getPurpose()).isEqualTo(ProviderCallPurpose.SUBMIT);
        assertThat(intent.getAttempt()).isEqualTo(1);
        assertThat(intent.getRequest().getMobileMoney().getMsisdn()).isEqualTo("+254700000001");
        assertThat(intents.isEmpty()).isTrue();
        assertThat(answers.isEmpty()).isTrue();
        assertThat(state("tx-1").phase()).isEqualTo(SubmissionState.Phase.SUBMITTING);
    }

    @Test
    void shouldReachNoProviderFromTheStreamThreadWhateverTheInput() throws IOException {
        // Given the classes that run on the stream thread
        List<Class<?>> streamThreadClasses = List.of(SubmissionTopology.class, SubmissionProcessor.class,
                SubmissionState.class, SubmissionPolicy.class);

        // Then none refers to a provider adapter or an HTTP client (lambdas compile into their class's own file)
        for (Class<?> type : streamThreadClasses) {
            String constants = classFileText(type);
            assertThat(constants).as("references of %s", type.getSimpleName())
                    .doesNotContain("dev/ngao/providers/", "java/net/http/", "java/net/URL", "io/vertx/");
        }
    }

    @Test
    void shouldWriteTheProviderAnswerWhenTheDispatcherRecordsIt() {
        // Given an intent written
        requests.pipeInput("account-tx-1", request("tx-1", PaymentType.MOBILE_MONEY_COLLECTION));
        decisions.pipeInput("tx-1", decision("tx-1", Outcome.APPROVE, DecisionKind.INITIAL));
        intents.readValue();

        // When the dispatcher records the provider's answer
        results.pipeInput("tx-1", answered("tx-1", 1));

        // Then it becomes a status for ingest, and the transaction is done
        ProviderEvent answer = answers.readValue();
        assertThat(answer.getTransactionId()).isEqualTo("tx-1");
        assertThat(answer.getStatus()).isEqualTo(ProviderStatus.PENDING);
        assertThat(answer.getProviderReference()).isEqualTo("HUB-tx-1");
        assertThat(answer.getSource()).isEqualTo(ProviderEventSource.STATUS_QUERY);
        assertThat(answer.getEventId()).isEqualTo("sub:mobile-money-hub:tx-1:PENDING");
        assertThat(answer.getAmount()).isEqualTo(new Money(25_000L, "KES"));
        assertThat(answers.isEmpty()).isTrue();
        assertThat(state("tx-1").phase()).isEqualTo(SubmissionState.Phase.DONE);
        assertThat(driver.getKeyValueStore(SubmissionTopology.REQUESTS_STORE).get("tx-1")).isNull();
    }

    @Test
    void shouldTakeOnlyTheFirstResultWhenTheDispatcherRecordsItAgain() {
        // Given an answered submission
        requests.pipeInput("account-tx-11", request("tx-11", PaymentType.MOBILE_MONEY_COLLECTION));
        decisions.pipeInput("tx-11", decision("tx-11", Outcome.APPROVE, DecisionKind.INITIAL));
        results.pipeInput("tx-11", answered("tx-11", 1));

        // When the same result comes again (a dispatcher that recorded, then crashed before its commit)
        results.pipeInput("tx-11", answered("tx-11", 1));
        results.pipeInput("tx-11", failed("tx-11", 1, ProviderCallOutcome.RETRYABLE_FAILURE));
        driver.advanceWallClockTime(Duration.ofSeconds(30));

        // Then one answer, one intent
        assertThat(answers.readValuesToList()).hasSize(1);
        assertThat(intents.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldSubmitWhenTheRequestIsReadAfterItsApproval() {
        // Given the decision's partition was read first
        decisions.pipeInput("tx-2", decision("tx-2", Outcome.APPROVE, DecisionKind.INITIAL));
        assertThat(intents.isEmpty()).isTrue();

        // When
        requests.pipeInput("account-tx-2", request("tx-2", PaymentType.MOBILE_MONEY_COLLECTION));

        // Then
        assertThat(intents.readValuesToList()).extracting(SubmissionIntent::getTransactionId).containsExactly("tx-2");
    }

    @Test
    void shouldSubmitPayoutOnlyOnceTheLedgerHoldsItsMoney() {
        // Given a payout risk approved
        requests.pipeInput("account-tx-10", request("tx-10", PaymentType.MOBILE_MONEY_PAYOUT));
        decisions.pipeInput("tx-10", RiskDecision.newBuilder(decision("tx-10", Outcome.APPROVE, DecisionKind.INITIAL))
                .setType(PaymentType.MOBILE_MONEY_PAYOUT).build());
        assertThat(intents.isEmpty()).isTrue();

        // When the ledger posts its hold (a refused payout has none, and is never sent)
        entries.pipeInput("tx-10", DecisionsAndEntries.entry("je:tx-10:approved", "tx-10",
                SubmissionProcessor.PAYOUT_HOLD_KIND, 25_000L, "KES"));
        entries.pipeInput("tx-10", DecisionsAndEntries.entry("je:tx-10:approved", "tx-10",
                SubmissionProcessor.PAYOUT_HOLD_KIND, 25_000L, "KES"));

        // Then it is sent, once
        assertThat(intents.readValuesToList()).extracting(SubmissionIntent::getTransactionId).containsExactly("tx-10");
    }

    @Test
    void shouldForgetAPayoutTheLedgerRefusedForWantOfFunds() {
        // Given a payout risk approved, waiting for the ledger's hold
        requests.pipeInput("account-tx-11", request("tx-11", PaymentType.MOBILE_MONEY_PAYOUT));
        RiskDecision approval = RiskDecision.newBuilder(decision("tx-11", Outcome.APPROVE, DecisionKind.INITIAL))
                .setType(PaymentType.MOBILE_MONEY_PAYOUT).build();
        decisions.pipeInput("tx-11", approval);

        // When the ledger refuses it, which risk makes its final DECLINE
        decisions.pipeInput("tx-11", RiskDecision.newBuilder(approval).setOutcome(Outcome.DECLINE)
                .setKind(DecisionKind.LEDGER_REFUSAL).build());

        // Then the waiting request is forgotten and the payout is done with, never sent
        assertThat(driver.getKeyValueStore(SubmissionTopology.REQUESTS_STORE).get("tx-11")).isNull();
        assertThat(state("tx-11").phase()).isEqualTo(SubmissionState.Phase.DONE);
        assertThat(intents.isEmpty()).isTrue();
    }

    @Test
    void shouldSubmitNothingForDeclinedOrReviewedUntilResolutionApproves() {
        // Given
        requests.pipeInput("account-tx-3", request("tx-3", PaymentType.MOBILE_MONEY_COLLECTION));
        requests.pipeInput("account-tx-4", request("tx-4", PaymentType.MOBILE_MONEY_COLLECTION));

        // When tx-3 is declined, tx-4 goes to review
        decisions.pipeInput("tx-3", decision("tx-3", Outcome.DECLINE, DecisionKind.INITIAL));
        decisions.pipeInput("tx-4", decision("tx-4", Outcome.REVIEW, DecisionKind.INITIAL));

        // Then
        assertThat(intents.isEmpty()).isTrue();
        assertThat(driver.getKeyValueStore(SubmissionTopology.REQUESTS_STORE).get("tx-3")).isNull();

        // When the analyst approves tx-4
        decisions.pipeInput("tx-4", decision("tx-4", Outcome.APPROVE, DecisionKind.REVIEW_RESOLUTION));

        // Then
        assertThat(intents.readValuesToList()).extracting(SubmissionIntent::getTransactionId).containsExactly("tx-4");
    }

    @Test
    void shouldSubmitOnceWhenTheApprovalIsDeliveredAgain() {
        // Given
        requests.pipeInput("account-tx-5", request("tx-5", PaymentType.MOBILE_MONEY_COLLECTION));

        // When
        decisions.pipeInput("tx-5", decision("tx-5", Outcome.APPROVE, DecisionKind.INITIAL));
        decisions.pipeInput("tx-5", decision("tx-5", Outcome.APPROVE, DecisionKind.INITIAL));
        requests.pipeInput("account-tx-5", request("tx-5", PaymentType.MOBILE_MONEY_COLLECTION));
        results.pipeInput("tx-5", answered("tx-5", 1));
        decisions.pipeInput("tx-5", decision("tx-5", Outcome.APPROVE, DecisionKind.INITIAL));

        // Then
        assertThat(intents.readValuesToList()).hasSize(1);
        assertThat(answers.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldWriteAnotherIntentAfterTheBackoffWhenTheCallFailedRetryably() {
        // Given the provider was down for the first submission
        requests.pipeInput("account-tx-6", request("tx-6", PaymentType.MOBILE_MONEY_COLLECTION));
        decisions.pipeInput("tx-6", decision("tx-6", Outcome.APPROVE, DecisionKind.INITIAL));
        results.pipeInput("tx-6", failed("tx-6", 1, ProviderCallOutcome.RETRYABLE_FAILURE));
        assertThat(intents.readValuesToList()).extracting(SubmissionIntent::getAttempt).containsExactly(1);
        assertThat(answers.isEmpty()).isTrue();

        // When the backoff (at most 1 s after the first failure) has passed
        driver.advanceWallClockTime(Duration.ofMillis(1_100));

        // Then the second attempt's intent, whose answer is written
        assertThat(intents.readValuesToList()).extracting(SubmissionIntent::getAttempt).containsExactly(2);
        results.pipeInput("tx-6", answered("tx-6", 2));
        assertThat(answers.readValue().getStatus()).isEqualTo(ProviderStatus.PENDING);
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(intents.isEmpty()).isTrue();
    }

    @Test
    void shouldLeaveThePaymentToTheChaserAfterTheLastAttempt() {
        // Given every call fails retryably
        requests.pipeInput("account-tx-7", request("tx-7", PaymentType.MOBILE_MONEY_COLLECTION));
        decisions.pipeInput("tx-7", decision("tx-7", Outcome.APPROVE, DecisionKind.INITIAL));

        // When far more time passes than three attempts need, each failing
        for (int second = 0; second < 20; second++) {
            for (SubmissionIntent intent : intents.readValuesToList()) {
                results.pipeInput("tx-7", failed("tx-7", intent.getAttempt(), ProviderCallOutcome.RETRYABLE_FAILURE));
            }
            driver.advanceWallClockTime(Duration.ofSeconds(1));
        }

        // Then three attempts, no status guessed
        assertThat(state("tx-7").attempts()).isEqualTo(3);
        assertThat(state("tx-7").phase()).isEqualTo(SubmissionState.Phase.DONE);
        assertThat(answers.isEmpty()).isTrue();
    }

    @Test
    void shouldTurnARefusalIntoAFailedStatus() {
        // Given
        requests.pipeInput("account-tx-8", request("tx-8", PaymentType.MOBILE_MONEY_COLLECTION));
        decisions.pipeInput("tx-8", decision("tx-8", Outcome.APPROVE, DecisionKind.INITIAL));

        // When the provider refused the submission outright
        results.pipeInput("tx-8", failed("tx-8", 1, ProviderCallOutcome.REFUSED));

        // Then
        ProviderEvent failed = answers.readValue();
        assertThat(failed.getStatus()).isEqualTo(ProviderStatus.FAILED);
        assertThat(failed.getProviderReference()).isNull();
        driver.advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(intents.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldGuessNothingWhenTheAnswerCouldNotBeRead() {
        // Given
        requests.pipeInput("account-tx-12", request("tx-12", PaymentType.MOBILE_MONEY_COLLECTION));
        decisions.pipeInput("tx-12", decision("tx-12", Outcome.APPROVE, DecisionKind.INITIAL));

        // When
        results.pipeInput("tx-12", failed("tx-12", 1, ProviderCallOutcome.UNREADABLE));
        driver.advanceWallClockTime(Duration.ofSeconds(30));

        // Then no status, no further attempt: the chaser takes it from here
        assertThat(answers.isEmpty()).isTrue();
        assertThat(intents.readValuesToList()).hasSize(1);
        assertThat(state("tx-12").phase()).isEqualTo(SubmissionState.Phase.DONE);
    }

    @Test
    void shouldNotSubmitCardFlows() {
        // When
        requests.pipeInput("account-tx-9", request("tx-9", PaymentType.CARD_AUTHORIZATION));
        decisions.pipeInput("tx-9", RiskDecision.newBuilder(ProviderFixtures.approval("tx-9", HUB, 100, "KES", START))
                .setType(PaymentType.CARD_AUTHORIZATION).build());

        // Then
        assertThat(intents.isEmpty()).isTrue();
        assertThat(answers.isEmpty()).isTrue();
    }

    private SubmissionState state(String transactionId) {
        return SubmissionState.decode(driver.<String, String>getKeyValueStore(SubmissionTopology.STATE_STORE)
                .get(transactionId));
    }

    /** The class file's bytes as text: its constant pool names every class and member it refers to. */
    private static String classFileText(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            assertThat(in).as("class file of %s", type.getSimpleName()).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static SubmissionResult answered(String transactionId, int attempt) {
        return result(transactionId, attempt, ProviderCallOutcome.ANSWERED).setStatus(ProviderStatus.PENDING)
                .setProviderReference("HUB-" + transactionId).setAmount(new Money(25_000L, "KES"))
                .setOccurredAt(START).build();
    }

    private static SubmissionResult failed(String transactionId, int attempt, ProviderCallOutcome outcome) {
        return result(transactionId, attempt, outcome)
                .setHttpStatus(outcome == ProviderCallOutcome.REFUSED ? 422 : 503).setFailure("HTTP").build();
    }

    private static SubmissionResult.Builder result(String transactionId, int attempt, ProviderCallOutcome outcome) {
        return SubmissionResult.newBuilder().setTransactionId(transactionId).setProvider(HUB)
                .setPurpose(ProviderCallPurpose.SUBMIT).setAttempt(attempt)
                .setIdempotencyKey(SubmissionDispatcher.idempotencyKey(ProviderCallPurpose.SUBMIT, transactionId))
                .setOutcome(outcome).setRecordedAt(START);
    }

    private static RiskDecision decision(String transactionId, Outcome outcome, DecisionKind kind) {
        return RiskDecision.newBuilder(ProviderFixtures.approval(transactionId, HUB, 25_000L, "KES", START))
                .setOutcome(outcome).setKind(kind).build();
    }

    private static PaymentRequest request(String transactionId, PaymentType type) {
        return SampleEvents.paymentRequest(transactionId)
                .setType(type)
                .setAccountId("account-" + transactionId)
                .setAmount(new Money(25_000L, "KES"))
                .setProvider(HUB)
                .setMobileMoney(MobileMoneyDetails.newBuilder().setMsisdn("+254700000001")
                        .setMsisdnMasked("+2547******01").setOperator("MPESA").build())
                .setRequestedAt(START)
                .build();
    }
}
