package dev.ngao.risk.topology;

import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RiskSignals;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.platform.invariant.InvariantViolation;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.Dimension;
import dev.ngao.rules.Interval;
import dev.ngao.rules.Rule;
import dev.ngao.rules.RuleInput;
import dev.ngao.rules.RuleSetCompiler;
import dev.ngao.rules.UsageKey;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.ngao.risk.PaymentRequests.request;
import static dev.ngao.risk.topology.AccountStageTest.MORNING;
import static dev.ngao.risk.topology.AccountStageTest.TODAY;
import static dev.ngao.risk.topology.AccountStageTest.dailyKey;
import static dev.ngao.risk.topology.AccountStageTest.ruleIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What goes wrong: a rule that throws and undecodable input (dead letters, nothing reserved, processing goes
 * on), and a broken invariant (the stream thread fails). The faults
 * come from hand-written rules in the built-in default rule set.
 */
class FaultsTest {

    /** Amount at which the IP rule throws, so the IP stage never answers. */
    private static final long EXPLODING_AMOUNT = 666L;
    /** Amount from which the lying limit lets everything through while its counter is over its limit. */
    private static final long LIMIT_MINOR = 10_000L;

    @TempDir
    Path stateDirectory;

    private RiskDriver risk;

    @AfterEach
    void stop() {
        if (risk != null) {
            risk.close();
        }
    }

    private void start(Rule... rules) {
        CompiledRuleSet faulty = new CompiledRuleSet(CompiledRuleSet.DEFAULT_MERCHANT, "faults-v1", List.of(rules), null);
        risk = new RiskDriver(stateDirectory, TopologyOptions.defaults(faulty, new RuleSetCompiler()::compile, 1));
    }

    private static PaymentRequest fromIp(String transactionId, long amountMinor) {
        return PaymentRequest.newBuilder(request(transactionId, "acct-a", amountMinor, "KES", MORNING))
                .setSignals(RiskSignals.newBuilder().setClientIp("10.0.0.1").build())
                .build();
    }

    @Test
    void shouldDeadLetterARequestWhoseRuleFailsWithoutReservingAndDecideTheNext() {
        // Given an IP rule that fails on one request
        start(new DailyLimit(false), new ExplodingIpRule());

        // When that request arrives
        List<RiskDecision> decided = risk.send(fromIp("tx-1", EXPLODING_AMOUNT));

        // Then it is not decided and reserves nothing: rules run before any write, so the failure left no state;
        // the record is a dead letter with the reason
        assertThat(decided).isEmpty();
        assertThat(risk.deadLetters.readRecordsToList()).singleElement().satisfies(deadLetter ->
                assertThat(header(deadLetter.headers(), "__streams.errors.exception")).isNotBlank());
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isZero();
        assertThat(risk.transaction("tx-1")).isNull();
        // And other requests of the IP go on being decided at once
        assertThat(risk.decide(fromIp("tx-2", 100L)).getOutcome()).isEqualTo(Outcome.APPROVE);
        assertThat(risk.accountUsage(dailyKey("acct-a", "KES", TODAY))).isEqualTo(100L);
    }

    @Test
    void shouldSendAnUndecodableRequestToTheDeadLettersAndGoOn() {
        // Given the engine running
        start(new DailyLimit(false));
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);

        // When an undecodable record arrives, then a good one
        risk.rawRequests.pipeInput("acct-a", garbage);
        RiskDecision next = risk.decide(request("tx-1", "acct-a", 100L, "KES", MORNING));

        // Then the bad record is in risk.dead-letters as it was, with the reason in headers, and the next decided
        List<TestRecord<byte[], byte[]>> deadLetters = risk.deadLetters.readRecordsToList();
        assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.value()).isEqualTo(garbage);
            assertThat(new String(deadLetter.key(), StandardCharsets.UTF_8)).isEqualTo("acct-a");
            assertThat(header(deadLetter.headers(), "__streams.errors.topic")).isEqualTo(Topics.PAYMENT_REQUESTS.name());
            assertThat(header(deadLetter.headers(), "__streams.errors.exception")).isNotBlank();
        });
        assertThat(next.getOutcome()).isEqualTo(Outcome.APPROVE);
    }

    @Test
    void shouldFailTheStreamThreadWhenAnApprovalWouldOverspendALimit() {
        // Given a limit rule that wrongly lets an amount through while the counter is already over the limit
        start(new DailyLimit(true));
        risk.decide(request("tx-1", "acct-a", LIMIT_MINOR, "KES", MORNING));

        // When a request would take the counter past the limit
        // Then the invariant stops processing instead of approving it
        assertThatThrownBy(() -> risk.send(request("tx-2", "acct-a", 1L, "KES", MORNING)))
                .satisfies(failure -> assertThat(chain(failure)).anyMatch(InvariantViolation.class::isInstance));
    }

    @Test
    void shouldDeadLetterAProcessingErrorButFailOnABrokenInvariant() {
        // Given the processing handler of risk-streams, configured with the dead-letter topic
        RiskExceptionHandlers.DeadLetterUnlessInvariant handler = new RiskExceptionHandlers.DeadLetterUnlessInvariant();
        handler.configure(Map.of("errors.dead.letter.queue.topic.name", Topics.RISK_DEAD_LETTERS.name()));
        Record<String, String> record = new Record<>("key", "value", 0L);

        // When an ordinary failure and a wrapped invariant violation are handled
        ProcessingExceptionHandler.Response ordinary = handler.handleError(context(), record,
                new IllegalStateException("a rule failed"));
        ProcessingExceptionHandler.Response invariant = handler.handleError(context(), record,
                new StreamsException(new InvariantViolation("usage below zero")));

        // Then the first resumes with a dead letter, the second fails
        assertThat(ordinary.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(ordinary.deadLetterQueueRecords()).singleElement()
                .satisfies(deadLetter -> assertThat(deadLetter.topic()).isEqualTo(Topics.RISK_DEAD_LETTERS.name()));
        assertThat(invariant.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }

    @Test
    void shouldFailRatherThanSkipARequestWhenAStoreWasClosedUnderTheTask() {
        // Given the processing handler, and a global store segment closed under the task (seen in a rebalance)
        RiskExceptionHandlers.DeadLetterUnlessInvariant handler = new RiskExceptionHandlers.DeadLetterUnlessInvariant();
        handler.configure(Map.of("errors.dead.letter.queue.topic.name", Topics.RISK_DEAD_LETTERS.name()));

        ProcessingExceptionHandler.Response closed = handler.handleError(context(), new Record<>("key", "value", 0L),
                new InvalidStateStoreException("Store signals.1740657600000 is currently closed"));

        // Then the thread fails (the service replaces it and the record is taken again): no payment is skipped
        assertThat(closed.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(closed.deadLetterQueueRecords()).isEmpty();
    }

    private static String header(Headers headers, String name) {
        return headers.lastHeader(name) == null ? null
                : new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> causes = new java.util.ArrayList<>();
        for (Throwable cause = failure; cause != null && !causes.contains(cause); cause = cause.getCause()) {
            causes.add(cause);
        }
        return causes;
    }

    private static ErrorHandlerContext context() {
        return new ErrorHandlerContext() {
            public String topic() {
                return Topics.PAYMENT_REQUESTS.name();
            }

            public int partition() {
                return 0;
            }

            public long offset() {
                return 7L;
            }

            public Headers headers() {
                return new RecordHeaders();
            }

            public String processorNodeId() {
                return RiskTopology.DECISION_TASK;
            }

            public TaskId taskId() {
                return new TaskId(0, 0);
            }

            public long timestamp() {
                return 0L;
            }

            public byte[] sourceRawKey() {
                return "key".getBytes(StandardCharsets.UTF_8);
            }

            public byte[] sourceRawValue() {
                return "value".getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    /** A daily UTC account limit of {@value #LIMIT_MINOR} KES; when {@code lying}, it never matches. */
    private record DailyLimit(boolean lying) implements Rule {
        public String id() {
            return lying ? "lying-daily" : "daily";
        }

        public String type() {
            return "limit";
        }

        public RuleAction action() {
            return RuleAction.BLOCK;
        }

        public RuleMode mode() {
            return RuleMode.ENFORCE;
        }

        public Dimension dimension() {
            return Dimension.ACCOUNT;
        }

        public int weight() {
            return 0;
        }

        public Optional<String> evaluate(RuleInput input) {
            long reserved = input.state().reservedMinor(usageKeys(input.request(), input.dimensionValue()).get(0));
            long amount = input.request().getAmount().getAmountMinor();
            boolean over = amount > LIMIT_MINOR - reserved;
            return over && !(lying && amount > 0) ? Optional.of("over the daily limit") : Optional.empty();
        }

        public List<UsageKey> usageKeys(PaymentRequest request, String dimensionValue) {
            return List.of(new UsageKey(Dimension.ACCOUNT, dimensionValue, request.getAmount().getCurrency(),
                    Interval.DAY, ZoneId.of("UTC"), Interval.DAY.periodStart(request.getRequestedAt(), ZoneId.of("UTC"))));
        }
    }

    /** An IP rule that throws on {@value #EXPLODING_AMOUNT}, as a rule with a bug would. */
    private static final class ExplodingIpRule implements Rule {
        public String id() {
            return "exploding-ip";
        }

        public String type() {
            return "velocity-count";
        }

        public RuleAction action() {
            return RuleAction.BLOCK;
        }

        public RuleMode mode() {
            return RuleMode.ENFORCE;
        }

        public Dimension dimension() {
            return Dimension.IP;
        }

        public int weight() {
            return 0;
        }

        public Optional<String> evaluate(RuleInput input) {
            if (input.request().getAmount().getAmountMinor() == EXPLODING_AMOUNT) {
                throw new IllegalStateException("a rule with a bug");
            }
            return Optional.empty();
        }
    }
}
