package dev.ngao.reconciler.matching;

import dev.ngao.events.AuditOutcome;
import dev.ngao.events.AuditRecord;
import dev.ngao.events.BreakKind;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.RiskDecision;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.reconciler.audit.ReconcilerAudit;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static dev.ngao.reconciler.DecisionsAndEntries.approval;
import static dev.ngao.reconciler.DecisionsAndEntries.approvalEntry;
import static dev.ngao.reconciler.DecisionsAndEntries.decision;
import static dev.ngao.reconciler.DecisionsAndEntries.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconcilerTopologyTest {

    private static final Duration GRACE_PERIOD = Duration.ofSeconds(120);
    private static final Duration PUNCTUATE_INTERVAL = Duration.ofSeconds(10);
    private static final Duration CLOSED_RETENTION = Duration.ofHours(24);
    private static final MatchingPolicy POLICY = new MatchingPolicy(GRACE_PERIOD, PUNCTUATE_INTERVAL, CLOSED_RETENTION);
    private static final Instant WALL_CLOCK_START = Instant.parse("2025-03-10T08:00:02Z");

    @TempDir
    Path stateDirectory;

    private String registryScope;
    private TopicSerdes<String, RiskDecision> decisionSerdes;
    private TopicSerdes<String, JournalEntry> entrySerdes;
    private TopicSerdes<String, ReconciliationBreak> breakSerdes;
    private TopicSerdes<String, AuditRecord> auditSerdes;
    private TopologyTestDriver driver;
    private TestInputTopic<String, RiskDecision> decisions;
    private TestInputTopic<String, JournalEntry> entries;
    private TestOutputTopic<String, ReconciliationBreak> breaks;
    private TestOutputTopic<String, AuditRecord> audit;
    private KeyValueStore<String, OpenItem> openItems;

    @BeforeEach
    void startDriver() {
        registryScope = "reconciler-topology-" + UUID.randomUUID();
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(registryScope);
        decisionSerdes = TopicSerdes.of(Topics.RISK_DECISIONS, registry, true);
        entrySerdes = TopicSerdes.of(Topics.LEDGER_ENTRIES, registry, true);
        breakSerdes = TopicSerdes.of(Topics.RECON_BREAKS, registry, true);
        auditSerdes = TopicSerdes.of(Topics.AUDIT_RECONCILER, registry, true);
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "reconciler-topology-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        driver = new TopologyTestDriver(ReconcilerTopology.build(POLICY, decisionSerdes, entrySerdes, breakSerdes,
                auditSerdes), properties, WALL_CLOCK_START);
        decisions = driver.createInputTopic(Topics.RISK_DECISIONS.name(),
                decisionSerdes.keySerde().serializer(), decisionSerdes.valueSerde().serializer());
        entries = driver.createInputTopic(Topics.LEDGER_ENTRIES.name(),
                entrySerdes.keySerde().serializer(), entrySerdes.valueSerde().serializer());
        breaks = driver.createOutputTopic(Topics.RECON_BREAKS.name(),
                breakSerdes.keySerde().deserializer(), breakSerdes.valueSerde().deserializer());
        audit = driver.createOutputTopic(Topics.AUDIT_RECONCILER.name(),
                auditSerdes.keySerde().deserializer(), auditSerdes.valueSerde().deserializer());
        openItems = driver.getKeyValueStore(ReconcilerTopology.OPEN_ITEMS_STORE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
        InMemorySchemaRegistry.dropScope(registryScope);
    }

    @Test
    void shouldMatchAndEmptyTheStoreWhenTheEntryAgreesWithTheApproval() {
        // Given an approval of 1250 KES
        pipe(approval("tx-1", 1_250L, "KES"));
        assertThat(openTransactionIds()).containsExactly("tx-1");

        // When the ledger posts its approval entry for the same amount
        pipe(approvalEntry("tx-1", 1_250L, "KES"));

        // Then nothing is reported or audited, the item is gone and the match is counted
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(audit.isEmpty()).isTrue();
        assertThat(openTransactionIds()).isEmpty();
        assertThat(metricTotal(MatchingProcessor.MATCHED_OPERATION)).isEqualTo(1.0);

        // And the matched transaction is not reported when its grace period runs out
        advancePast(GRACE_PERIOD);
        assertThat(breaks.isEmpty()).isTrue();
    }

    @Test
    void shouldMatchWhenTheEntryArrivesBeforeTheApproval() {
        // Given the ledger entry arrives first
        pipe(approvalEntry("tx-1", 1_250L, "KES"));
        assertThat(openTransactionIds()).containsExactly("tx-1");

        // When the approval follows
        pipe(approval("tx-1", 1_250L, "KES"));

        // Then the two are matched
        assertThat(openTransactionIds()).isEmpty();
        advancePast(GRACE_PERIOD);
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(metricTotal(MatchingProcessor.MATCHED_OPERATION)).isEqualTo(1.0);
    }

    @Test
    void shouldReportOneAmountMismatchWithExpectedAndActualWhenAmountsDiffer() {
        // Given an approval of 1250 KES
        pipe(approval("tx-1", 1_250L, "KES"));

        // When the ledger debits 1300 KES for it
        pipe(approvalEntry("tx-1", 1_300L, "KES"));

        // Then one AMOUNT_MISMATCH names what was approved and what was posted
        List<KeyValue<String, ReconciliationBreak>> found = breaks.readKeyValuesToList();
        assertThat(found).hasSize(1);
        ReconciliationBreak mismatch = found.get(0).value;
        assertThat(found.get(0).key).isEqualTo("tx-1");
        assertThat(mismatch.getKind()).isEqualTo(BreakKind.AMOUNT_MISMATCH);
        assertThat(mismatch.getBreakId()).isEqualTo("AMOUNT_MISMATCH:tx-1");
        assertThat(mismatch.getTransactionId()).isEqualTo("tx-1");
        assertThat(mismatch.getExpected()).isEqualTo(new Money(1_250L, "KES"));
        assertThat(mismatch.getActual()).isEqualTo(new Money(1_300L, "KES"));
        assertThat(mismatch.getDetail()).contains("je:tx-1:approved");
        assertThat(mismatch.getDetectedAt()).isEqualTo(WALL_CLOCK_START);

        // And nothing more is reported for it later
        assertThat(openTransactionIds()).isEmpty();
        advancePast(GRACE_PERIOD);
        assertThat(breaks.isEmpty()).isTrue();
    }

    @Test
    void shouldReportAnAmountMismatchWhenTheEntryIsInAnotherCurrency() {
        // When the entry debits the same number of minor units in another currency
        pipe(approval("tx-1", 1_250L, "KES"));
        pipe(approvalEntry("tx-1", 1_250L, "UGX"));

        // Then it is not a match
        ReconciliationBreak mismatch = breaks.readValue();
        assertThat(mismatch.getKind()).isEqualTo(BreakKind.AMOUNT_MISMATCH);
        assertThat(mismatch.getExpected()).isEqualTo(new Money(1_250L, "KES"));
        assertThat(mismatch.getActual()).isEqualTo(new Money(1_250L, "UGX"));
        assertThat(breaks.isEmpty()).isTrue();
    }

    @Test
    void shouldReportApprovedNotPostedOnceWhenNoEntryArrivesWithinTheGracePeriod() {
        // Given an approval and no entry
        pipe(approval("tx-1", 1_250L, "KES"));

        // When the wall clock reaches just short of the grace period
        advance(GRACE_PERIOD.minus(PUNCTUATE_INTERVAL));

        // Then nothing is reported yet
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(openTransactionIds()).containsExactly("tx-1");

        // When the grace period has run out
        advance(PUNCTUATE_INTERVAL);

        // Then one APPROVED_NOT_POSTED is reported with what was approved, and the item is gone
        List<ReconciliationBreak> found = breaks.readValuesToList();
        assertThat(found).hasSize(1);
        ReconciliationBreak unposted = found.get(0);
        assertThat(unposted.getKind()).isEqualTo(BreakKind.APPROVED_NOT_POSTED);
        assertThat(unposted.getBreakId()).isEqualTo("APPROVED_NOT_POSTED:tx-1");
        assertThat(unposted.getExpected()).isEqualTo(new Money(1_250L, "KES"));
        assertThat(unposted.getActual()).isNull();
        assertThat(unposted.getDetectedAt()).isEqualTo(WALL_CLOCK_START.plus(GRACE_PERIOD));
        assertThat(openTransactionIds()).isEmpty();

        // And it is reported only once, however long the clock runs
        advancePast(GRACE_PERIOD);
        advancePast(GRACE_PERIOD);
        assertThat(breaks.isEmpty()).isTrue();
    }

    @Test
    void shouldClearTheApprovedNotPostedBreakWhenItsEntryArrivesLateWithTheApprovedAmount() {
        // Given an approval already reported as not posted (the ledger held up past the grace period)
        pipe(approval("tx-1", 1_250L, "KES"));
        advancePast(GRACE_PERIOD);
        ReconciliationBreak raised = breaks.readValue();
        assertThat(raised.getKind()).isEqualTo(BreakKind.APPROVED_NOT_POSTED);
        assertThat(raised.getCleared()).isFalse();
        audit.readValuesToList();

        // When its entry arrives late, posting what was approved
        advance(PUNCTUATE_INTERVAL);
        pipe(approvalEntry("tx-1", 1_250L, "KES"));

        // Then the break is written again under its id and detection time, cleared, with its audit record
        List<ReconciliationBreak> found = breaks.readValuesToList();
        assertThat(found).hasSize(1);
        ReconciliationBreak cleared = found.get(0);
        assertThat(cleared.getBreakId()).isEqualTo(raised.getBreakId());
        assertThat(cleared.getKind()).isEqualTo(BreakKind.APPROVED_NOT_POSTED);
        assertThat(cleared.getCleared()).isTrue();
        assertThat(cleared.getDetectedAt()).isEqualTo(raised.getDetectedAt());
        assertThat(cleared.getClearedAt()).isAfter(raised.getDetectedAt());
        assertThat(cleared.getActual()).isEqualTo(new Money(1_250L, "KES"));
        assertThat(audit.readValuesToList()).extracting(AuditRecord::getAction)
                .containsExactly(ReconcilerAudit.BREAK_CLEARED_ACTION);

        // And nothing more is reported for it: not the entry as posted without approval, not a second clearing
        pipe(approvalEntry("tx-1", 1_250L, "KES"));
        advancePast(GRACE_PERIOD);
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(openTransactionIds()).isEmpty();
    }

    @Test
    void shouldLeaveTheApprovedNotPostedBreakStandingWhenTheLateEntryPostsAnotherAmount() {
        // Given an approval already reported as not posted
        pipe(approval("tx-1", 1_250L, "KES"));
        advancePast(GRACE_PERIOD);
        assertThat(breaks.readValue().getKind()).isEqualTo(BreakKind.APPROVED_NOT_POSTED);

        // When an entry of another amount arrives late
        pipe(approvalEntry("tx-1", 1_200L, "KES"));
        advancePast(GRACE_PERIOD);

        // Then the break stands: nothing clears it, and the entry is not reported a second time
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(openTransactionIds()).isEmpty();
    }

    @Test
    void shouldReportPostedNotApprovedAtOnceWhenTheEntryIsForADeclinedTransaction() {
        // Given a declined transaction
        pipe(decision("tx-1", Outcome.DECLINE, 1_250L, "KES"));

        // When the ledger posts an approval entry for it
        pipe(approvalEntry("tx-1", 1_250L, "KES"));

        // Then POSTED_NOT_APPROVED is reported at once, with what was posted
        List<ReconciliationBreak> found = breaks.readValuesToList();
        assertThat(found).hasSize(1);
        ReconciliationBreak posted = found.get(0);
        assertThat(posted.getKind()).isEqualTo(BreakKind.POSTED_NOT_APPROVED);
        assertThat(posted.getBreakId()).isEqualTo("POSTED_NOT_APPROVED:tx-1");
        assertThat(posted.getExpected()).isNull();
        assertThat(posted.getActual()).isEqualTo(new Money(1_250L, "KES"));
        assertThat(posted.getDetail()).contains("DECLINE");
        assertThat(openTransactionIds()).isEmpty();
        advancePast(GRACE_PERIOD);
        assertThat(breaks.isEmpty()).isTrue();
    }

    @Test
    void shouldReportPostedNotApprovedAfterTheGracePeriodWhenAReviewFollowsTheEntryAndNoResolutionComes() {
        // Given an entry, then a decision to review (which posts nothing until an analyst approves)
        pipe(approvalEntry("tx-1", 1_250L, "KES"));
        pipe(decision("tx-1", Outcome.REVIEW, 1_250L, "KES"));
        assertThat(breaks.isEmpty()).isTrue();

        // When the grace period runs out without the analyst's approval
        advancePast(GRACE_PERIOD);

        // Then POSTED_NOT_APPROVED is reported, once
        ReconciliationBreak posted = breaks.readValue();
        assertThat(posted.getKind()).isEqualTo(BreakKind.POSTED_NOT_APPROVED);
        assertThat(posted.getDetail()).contains("REVIEW");
        assertThat(breaks.isEmpty()).isTrue();
    }

    @Test
    void shouldMatchAReviewTheAnalystApprovedWhicheverOfResolutionAndEntryComesFirst() {
        // Given two reviews; the first approved before its entry arrives, the second after
        RiskDecision first = decision("tx-1", Outcome.REVIEW, 1_250L, "KES");
        RiskDecision second = decision("tx-2", Outcome.REVIEW, 9_900L, "KES");
        pipe(first);
        pipe(second);
        pipe(resolution(first, Outcome.APPROVE));
        pipe(approvalEntry("tx-1", 1_250L, "KES"));
        pipe(approvalEntry("tx-2", 9_900L, "KES"));
        pipe(resolution(second, Outcome.APPROVE));

        // Then both match: the resolution, not the review, is what the ledger's posting is held against
        advancePast(GRACE_PERIOD);
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(metricTotal(MatchingProcessor.MATCHED_OPERATION)).isEqualTo(2.0);
        assertThat(openTransactionIds()).isEmpty();
    }

    @Test
    void shouldMatchAChallengeThePayerPassedAndForgetOneThatFailedWithNothingPosted() {
        // Given two challenges; the first passed, then posted by the ledger; the second failed, nothing posted
        RiskDecision passed = decision("tx-1", Outcome.CHALLENGE, 1_250L, "KES");
        RiskDecision failed = decision("tx-2", Outcome.CHALLENGE, 9_900L, "KES");
        pipe(passed);
        pipe(failed);
        pipe(challengeResult(passed, Outcome.APPROVE));
        pipe(approvalEntry("tx-1", 1_250L, "KES"));
        pipe(challengeResult(failed, Outcome.DECLINE));

        // Then the first matches against its result, the second is forgotten: no break for either
        advancePast(GRACE_PERIOD);
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(metricTotal(MatchingProcessor.MATCHED_OPERATION)).isEqualTo(1.0);
        assertThat(openTransactionIds()).isEmpty();
    }

    @Test
    void shouldReportPostedNotApprovedWhenTheAnalystDeclinedAReviewTheLedgerPosted() {
        RiskDecision review = decision("tx-1", Outcome.REVIEW, 1_250L, "KES");
        pipe(review);
        pipe(resolution(review, Outcome.DECLINE));

        pipe(approvalEntry("tx-1", 1_250L, "KES"));

        ReconciliationBreak posted = breaks.readValue();
        assertThat(posted.getKind()).isEqualTo(BreakKind.POSTED_NOT_APPROVED);
        assertThat(posted.getDetail()).contains("DECLINE");
    }

    @Test
    void shouldForgetADeclinedReviewWithoutReportingWhenNothingIsPosted() {
        RiskDecision review = decision("tx-1", Outcome.REVIEW, 1_250L, "KES");
        pipe(review);
        pipe(resolution(review, Outcome.DECLINE));

        advancePast(GRACE_PERIOD);

        assertThat(breaks.isEmpty()).isTrue();
        assertThat(openTransactionIds()).isEmpty();
    }

    @Test
    void shouldMatchAReviewTheCardNetworkWasAnsweredApproveForAgainstItsEntry() {
        // Given a review of a card authorization, answered APPROVE to the network (the timeout default): that
        // answer is its final decision, and the ledger holds the money for it
        RiskDecision review = decision("tx-1", Outcome.REVIEW, 1_250L, "KES");
        pipe(review);
        pipe(RiskDecision.newBuilder(review).setOutcome(Outcome.APPROVE).setKind(DecisionKind.AUTHORIZATION_ANSWER)
                .setDecidedAt(review.getDecidedAt().plusSeconds(2)).build());
        pipe(approvalEntry("tx-1", 1_250L, "KES"));

        advancePast(GRACE_PERIOD);

        // Then the entry matches the answer: no analyst's resolution is awaited, nothing breaks
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(metricTotal(MatchingProcessor.MATCHED_OPERATION)).isEqualTo(1.0);
        assertThat(openTransactionIds()).isEmpty();
    }

    @Test
    void shouldMatchACardAuthorizationWithItsHold() {
        // Given an approved card authorization, which the ledger posts as a hold on the card
        pipe(decision("tx-1", Outcome.APPROVE, 1_250L, "KES"));
        pipe(entry("je:tx-1:approved", "tx-1", "card-auth.held", 1_250L, "KES"));

        advancePast(GRACE_PERIOD);

        // Then the hold is the approval's posting: matched, no APPROVED_NOT_POSTED break
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(metricTotal(MatchingProcessor.MATCHED_OPERATION)).isEqualTo(1.0);
    }

    @Test
    void shouldOweNothingForAnApprovalTheLedgerRefusedForWantOfFunds() {
        // Given an approval the ledger refused (no entry will ever come), which risk made a final DECLINE
        RiskDecision approval = decision("tx-1", Outcome.APPROVE, 1_250L, "KES");
        pipe(approval);
        pipe(RiskDecision.newBuilder(approval).setOutcome(Outcome.DECLINE).setKind(DecisionKind.LEDGER_REFUSAL)
                .setDecidedAt(approval.getDecidedAt().plusSeconds(1)).build());

        advancePast(GRACE_PERIOD);

        // Then it is no APPROVED_NOT_POSTED break: the refusal was handled
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(openTransactionIds()).isEmpty();
    }

    @Test
    void shouldClearTheApprovedNotPostedBreakWhenTheLedgersRefusalArrivesLate() {
        // Given an approval reported as not posted, the ledger's refusal held up past the grace period
        RiskDecision approval = decision("tx-1", Outcome.APPROVE, 1_250L, "KES");
        pipe(approval);
        advancePast(GRACE_PERIOD);
        ReconciliationBreak raised = breaks.readValue();
        assertThat(raised.getKind()).isEqualTo(BreakKind.APPROVED_NOT_POSTED);
        audit.readValuesToList();

        // When the refusal, risk's final DECLINE, arrives
        advance(PUNCTUATE_INTERVAL);
        pipe(RiskDecision.newBuilder(approval).setOutcome(Outcome.DECLINE).setKind(DecisionKind.LEDGER_REFUSAL)
                .setDecidedAt(approval.getDecidedAt().plusSeconds(300)).build());

        // Then the break is written again under its id and detection time, cleared, with its audit record
        List<ReconciliationBreak> found = breaks.readValuesToList();
        assertThat(found).hasSize(1);
        ReconciliationBreak cleared = found.get(0);
        assertThat(cleared.getBreakId()).isEqualTo(raised.getBreakId());
        assertThat(cleared.getCleared()).isTrue();
        assertThat(cleared.getDetectedAt()).isEqualTo(raised.getDetectedAt());
        assertThat(cleared.getClearedAt()).isAfter(raised.getDetectedAt());
        assertThat(cleared.getActual()).isNull();
        assertThat(cleared.getDetail()).contains("refused");
        assertThat(audit.readValuesToList()).extracting(AuditRecord::getAction)
                .containsExactly(ReconcilerAudit.BREAK_CLEARED_ACTION);

        // And an approval entry arriving after all is still reported, as for any declined payment
        pipe(approvalEntry("tx-1", 1_250L, "KES"));
        advancePast(GRACE_PERIOD);
        assertThat(breaks.readValuesToList()).extracting(ReconciliationBreak::getKind)
                .containsExactly(BreakKind.POSTED_NOT_APPROVED);
    }

    @Test
    void shouldLeaveTheApprovedNotPostedBreakStandingWhenALateDecisionIsNoRefusal() {
        // Given an approval reported as not posted
        RiskDecision approval = decision("tx-1", Outcome.APPROVE, 1_250L, "KES");
        pipe(approval);
        advancePast(GRACE_PERIOD);
        assertThat(breaks.readValue().getKind()).isEqualTo(BreakKind.APPROVED_NOT_POSTED);

        // When the same approval comes again (not a refusal)
        pipe(approval);
        advancePast(GRACE_PERIOD);

        // Then nothing clears the break, and nothing more is reported
        assertThat(breaks.isEmpty()).isTrue();
    }

    @Test
    void shouldStillReportAnApprovalTheLedgerNeitherPostedNorRefused() {
        pipe(decision("tx-1", Outcome.APPROVE, 1_250L, "KES"));

        advancePast(GRACE_PERIOD);

        assertThat(breaks.readValue().getKind()).isEqualTo(BreakKind.APPROVED_NOT_POSTED);
    }

    private static RiskDecision challengeResult(RiskDecision challenge, Outcome outcome) {
        return RiskDecision.newBuilder(challenge).setOutcome(outcome).setKind(DecisionKind.CHALLENGE_RESULT)
                .setResolutionId("chl-" + challenge.getTransactionId()).build();
    }

    private static RiskDecision resolution(RiskDecision review, Outcome outcome) {
        return RiskDecision.newBuilder(review).setOutcome(outcome).setKind(DecisionKind.REVIEW_RESOLUTION)
                .setResolutionId("rev-" + review.getTransactionId())
                .setDecidedAt(review.getDecidedAt().plusSeconds(30)).build();
    }

    @Test
    void shouldReportPostedNotApprovedWhenNoDecisionArrivesWithinTheGracePeriod() {
        // Given an entry without any decision
        pipe(approvalEntry("tx-1", 1_250L, "KES"));

        // When the grace period runs out
        advance(GRACE_PERIOD.minus(PUNCTUATE_INTERVAL));
        assertThat(breaks.isEmpty()).isTrue();
        advance(PUNCTUATE_INTERVAL);

        // Then POSTED_NOT_APPROVED is reported once
        List<ReconciliationBreak> found = breaks.readValuesToList();
        assertThat(found).extracting(ReconciliationBreak::getKind).containsExactly(BreakKind.POSTED_NOT_APPROVED);
        assertThat(found.get(0).getActual()).isEqualTo(new Money(1_250L, "KES"));
        advancePast(GRACE_PERIOD);
        assertThat(breaks.isEmpty()).isTrue();
    }

    @Test
    void shouldForgetADeclineWithoutReportingWhenNoEntryArrives() {
        // Given a declined transaction
        pipe(decision("tx-1", Outcome.DECLINE, 1_250L, "KES"));
        assertThat(openTransactionIds()).containsExactly("tx-1");

        // When the grace period runs out without an entry
        advancePast(GRACE_PERIOD);

        // Then nothing is reported and nothing is kept
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(openTransactionIds()).isEmpty();
    }

    @Test
    void shouldNotCountADuplicateEntryTwice() {
        // Given the same entry delivered twice (the ledger republishes after a crash)
        pipe(approvalEntry("tx-1", 1_250L, "KES"));
        pipe(approvalEntry("tx-1", 1_250L, "KES"));

        // When the approval of the amount of one entry arrives
        pipe(approval("tx-1", 1_250L, "KES"));

        // Then the two deliveries counted as one posting: matched
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(openTransactionIds()).isEmpty();
        assertThat(metricTotal(MatchingProcessor.MATCHED_OPERATION)).isEqualTo(1.0);
        assertThat(metricTotal(MatchingProcessor.DUPLICATES_OPERATION)).isEqualTo(1.0);
    }

    @Test
    void shouldAddTwoDistinctEntriesSoThatADoublePostingIsAMismatch() {
        // Given two different approval entries for one transaction
        pipe(entry("je:tx-1:approved", "tx-1", "collection.approved", 1_250L, "KES"));
        pipe(entry("je:tx-1:approved-again", "tx-1", "collection.approved", 1_250L, "KES"));

        // When the approval of 1250 KES arrives
        pipe(approval("tx-1", 1_250L, "KES"));

        // Then the double posting is reported
        ReconciliationBreak mismatch = breaks.readValue();
        assertThat(mismatch.getKind()).isEqualTo(BreakKind.AMOUNT_MISMATCH);
        assertThat(mismatch.getActual()).isEqualTo(new Money(2_500L, "KES"));
    }

    @Test
    void shouldIgnoreADuplicateEntryArrivingAfterTheMatch() {
        // Given a matched transaction
        pipe(approval("tx-1", 1_250L, "KES"));
        pipe(approvalEntry("tx-1", 1_250L, "KES"));

        // When the entry is delivered again, and the approval too
        pipe(approvalEntry("tx-1", 1_250L, "KES"));
        pipe(approval("tx-1", 1_250L, "KES"));
        advancePast(GRACE_PERIOD);

        // Then no item is opened and nothing is reported
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(openTransactionIds()).isEmpty();
        assertThat(metricTotal(MatchingProcessor.DUPLICATES_OPERATION)).isEqualTo(2.0);
    }

    @Test
    void shouldKeepTheFirstDecisionWhenASecondOneArrives() {
        // Given an approval, then a duplicate of it and a conflicting decline
        pipe(approval("tx-1", 1_250L, "KES"));
        pipe(approval("tx-1", 1_250L, "KES"));
        pipe(decision("tx-1", Outcome.DECLINE, 1_250L, "KES"));

        // When the entry of the approval arrives
        pipe(approvalEntry("tx-1", 1_250L, "KES"));

        // Then the first decision stands and the two match
        assertThat(breaks.isEmpty()).isTrue();
        assertThat(metricTotal(MatchingProcessor.MATCHED_OPERATION)).isEqualTo(1.0);
    }

    @Test
    void shouldIgnoreLedgerEntriesThatAreNotApprovalPostings() {
        // When an entry of another flow arrives for a transaction without decision
        pipe(entry("je:tx-1:settled", "tx-1", "collection.settled", 1_250L, "KES"));
        advancePast(GRACE_PERIOD);

        // Then it is left to the flows that own it
        assertThat(openTransactionIds()).isEmpty();
        assertThat(breaks.isEmpty()).isTrue();
    }

    @Test
    void shouldReportUnknownWithoutMatchingWhenARecordIsNotKeyedByItsTransaction() {
        // When an approval arrives keyed by another id
        decisions.pipeInput("account-7", approval("tx-1", 1_250L, "KES"));

        // Then it is reported, and not kept where its entry could never meet it
        ReconciliationBreak unknown = breaks.readValue();
        assertThat(unknown.getKind()).isEqualTo(BreakKind.UNKNOWN);
        assertThat(unknown.getBreakId()).isEqualTo("UNKNOWN:tx-1");
        assertThat(unknown.getDetail()).contains(Topics.RISK_DECISIONS.name()).doesNotContain("account-7");
        assertThat(openTransactionIds()).isEmpty();
    }

    @Test
    void shouldMatchManyTransactionsIndependently() {
        // Given three approvals, two of which are posted
        pipe(approval("tx-1", 100L, "KES"));
        pipe(approval("tx-2", 200L, "UGX"));
        pipe(approval("tx-3", 300L, "PEN"));
        pipe(approvalEntry("tx-3", 300L, "PEN"));
        pipe(approvalEntry("tx-1", 100L, "KES"));

        // When the grace period runs out
        advancePast(GRACE_PERIOD);

        // Then only the unposted one is reported
        assertThat(breaks.readValuesToList()).extracting(ReconciliationBreak::getBreakId)
                .containsExactly("APPROVED_NOT_POSTED:tx-2");
        assertThat(metricTotal(MatchingProcessor.MATCHED_OPERATION)).isEqualTo(2.0);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void shouldRefuseSerdesOfAnotherTopic() {
        // Given serdes of the reconciler's audit topic passed where the breaks topic is expected
        TopicSerdes<String, ReconciliationBreak> wrong = (TopicSerdes) TopicSerdes.of(Topics.AUDIT_RECONCILER,
                InMemorySchemaRegistry.scope(registryScope), true);

        // Then the topology is refused, naming the topic it expected
        assertThatThrownBy(() -> ReconcilerTopology.build(POLICY, decisionSerdes, entrySerdes, wrong, auditSerdes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Topics.RECON_BREAKS.name());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void shouldRefuseAuditSerdesOfAnotherTopic() {
        // Given serdes of the breaks topic passed where the audit topic is expected
        TopicSerdes<String, AuditRecord> wrong = (TopicSerdes) breakSerdes;

        // Then the topology is refused, naming the topic it expected
        assertThatThrownBy(() -> ReconcilerTopology.build(POLICY, decisionSerdes, entrySerdes, breakSerdes, wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Topics.AUDIT_RECONCILER.name());
    }

    @Test
    void shouldAuditEachBreakRaisedBesideItUnderAnIdDeterministicFromTheBreak() {
        // Given an approval of 1250 KES posted as 1300 KES, and another approval never posted
        pipe(approval("tx-1", 1_250L, "KES"));
        pipe(approvalEntry("tx-1", 1_300L, "KES"));
        pipe(approval("tx-2", 700L, "KES"));

        // When the grace period runs out
        advancePast(GRACE_PERIOD);

        // Then each break has one audit record on audit.reconciler, keyed and named by its transaction
        List<ReconciliationBreak> found = breaks.readValuesToList();
        List<KeyValue<String, AuditRecord>> audited = audit.readKeyValuesToList();
        assertThat(found).extracting(ReconciliationBreak::getBreakId)
                .containsExactly("AMOUNT_MISMATCH:tx-1", "APPROVED_NOT_POSTED:tx-2");
        assertThat(audited).extracting(record -> record.key).containsExactly("tx-1", "tx-2");
        AuditRecord mismatch = audited.get(0).value;
        assertThat(mismatch.getAuditId()).isEqualTo("break-raised:AMOUNT_MISMATCH:tx-1");
        assertThat(mismatch.getComponent()).isEqualTo("reconciler");
        assertThat(mismatch.getActor()).isEqualTo("reconciler");
        assertThat(mismatch.getAction()).isEqualTo("break.raised");
        assertThat(mismatch.getSubjectType()).isEqualTo("transaction");
        assertThat(mismatch.getSubjectId()).isEqualTo("tx-1");
        assertThat(mismatch.getOutcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(mismatch.getOccurredAt()).isEqualTo(found.get(0).getDetectedAt());
        assertThat(mismatch.getDetails()).containsEntry("breakId", "AMOUNT_MISMATCH:tx-1")
                .containsEntry("kind", "AMOUNT_MISMATCH")
                .containsEntry("expectedMinor", "1250").containsEntry("expectedCurrency", "KES")
                .containsEntry("actualMinor", "1300").containsEntry("actualCurrency", "KES")
                .containsEntry("detail", found.get(0).getDetail());
        AuditRecord unposted = audited.get(1).value;
        assertThat(unposted.getAuditId()).isEqualTo("break-raised:APPROVED_NOT_POSTED:tx-2");
        assertThat(unposted.getDetails()).containsEntry("kind", "APPROVED_NOT_POSTED")
                .containsEntry("expectedMinor", "700").doesNotContainKey("actualMinor");

        // And a late entry for the break already raised raises nothing again: it is audited once, as the clearing
        pipe(approvalEntry("tx-2", 700L, "KES"));
        advancePast(GRACE_PERIOD);
        assertThat(audit.readValuesToList()).extracting(AuditRecord::getAuditId, AuditRecord::getAction)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("break-cleared:APPROVED_NOT_POSTED:tx-2",
                        ReconcilerAudit.BREAK_CLEARED_ACTION));
    }

    private void pipe(RiskDecision decision) {
        decisions.pipeInput(decision.getTransactionId(), decision);
    }

    private void pipe(JournalEntry entry) {
        entries.pipeInput(entry.getTransactionId(), entry);
    }

    private void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    /** Moves the wall clock past {@code duration} in punctuation steps, as a running stream thread would. */
    private void advancePast(Duration duration) {
        Duration moved = Duration.ZERO;
        while (moved.compareTo(duration) <= 0) {
            advance(PUNCTUATE_INTERVAL);
            moved = moved.plus(PUNCTUATE_INTERVAL);
        }
    }

    private List<String> openTransactionIds() {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, OpenItem> items = openItems.all()) {
            items.forEachRemaining(item -> ids.add(item.key));
        }
        return ids;
    }

    private double metricTotal(String operation) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : driver.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (name.group().equals("stream-" + MatchingProcessor.METRICS_SCOPE + "-metrics")
                    && name.name().equals(operation + "-total")) {
                total += (Double) metric.getValue().metricValue();
            }
        }
        return total;
    }
}
