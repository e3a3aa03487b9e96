package dev.ngao.risk.topology;

import dev.ngao.risk.internal.AccountCommand;
import dev.ngao.risk.internal.AccountCommandKind;
import dev.ngao.risk.internal.BudgetRequest;
import dev.ngao.risk.internal.MerchantBudget;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The budget owner on its own, with six decision tasks: the first refill of a counter's period grants every
 * task a slice at once (so the other tasks' first payments do not each wait for a round trip), later refills
 * go to the asking task only, and what is granted never adds up past the limit.
 */
class BudgetOwnerTest {

    private static final String COUNTER = "MERCHANT|merchant-1|KES|DAY|UTC|2026-03-10";
    private static final long PERIOD_START_MS = 1_773_100_800_000L;
    private static final int PARTITIONS = 6;

    private MockProcessorContext<String, AccountCommand> context;
    private WindowStore<String, MerchantBudget> budgets;
    private BudgetOwnerProcessor owner;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        budgets = Stores.windowStoreBuilder(Stores.inMemoryWindowStore(RiskTopology.MERCHANT_BUDGETS_STORE,
                        Duration.ofDays(40), Duration.ofDays(1), false), Serdes.String(),
                        InternalSerde.of(MerchantBudget.class))
                .withLoggingDisabled().build();
        budgets.init(context.getStateStoreContext(), budgets);
        context.addStateStore(budgets);
        owner = new BudgetOwnerProcessor();
        owner.init(context);
    }

    @Test
    void shouldGrantEveryTaskASliceOnTheFirstRefillOfThePeriod() {
        // When task 2 asks for the first budget of the merchant's day (limit 1,200,000, it needs 5,000)
        ask(2, 5_000L, 1_200_000L);

        // Then every task gets a slice, the asking one first and at least what it needs
        Map<Integer, Long> granted = grants();
        assertThat(granted.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(granted.get(2)).isGreaterThanOrEqualTo(5_000L);
        assertThat(firstGrantPartition()).isEqualTo(2);
        assertThat(granted.values()).allMatch(slice -> slice > 0);
        // And the owner counted exactly what it sent, within the limit
        long sent = granted.values().stream().mapToLong(Long::longValue).sum();
        assertThat(budgets.fetch(COUNTER, PERIOD_START_MS).getGrantedMinor()).isEqualTo(sent);
        assertThat(sent).isLessThanOrEqualTo(1_200_000L);
    }

    @Test
    void shouldGrantOnlyTheAskingTaskOnceThePeriodHasABudget() {
        // Given the period's first refill done
        ask(0, 1_000L, 1_200_000L);
        long afterFirst = budgets.fetch(COUNTER, PERIOD_START_MS).getGrantedMinor();
        context.resetForwards();

        // When task 4 asks again
        ask(4, 1_000L, 1_200_000L);

        // Then only task 4 is granted, and the owner's total grew by that grant alone
        Map<Integer, Long> granted = grants();
        assertThat(granted.keySet()).containsExactly(4);
        assertThat(budgets.fetch(COUNTER, PERIOD_START_MS).getGrantedMinor())
                .isEqualTo(afterFirst + granted.get(4));
    }

    @Test
    void shouldNeverGrantPastTheLimitAndTellOnlyTheAskingTaskWhenNothingIsLeft() {
        // Given a first refill that needs the whole limit
        ask(1, 10_000L, 10_000L);
        Map<Integer, Long> first = grants();

        // Then the asking task has all of it and the others are sent nothing (there is nothing to send)
        assertThat(first).containsExactly(Map.entry(1, 10_000L));
        context.resetForwards();

        // When another task asks next
        ask(3, 1L, 10_000L);

        // Then it is told the budget is spent, and the owner never granted past the limit
        List<AccountCommand> commands = commands();
        assertThat(commands).singleElement().satisfies(grant -> {
            assertThat(grant.getTargetPartition()).isEqualTo(3);
            assertThat(grant.getGrantedMinor()).isZero();
            assertThat(grant.getExhausted()).isTrue();
        });
        assertThat(budgets.fetch(COUNTER, PERIOD_START_MS).getGrantedMinor()).isEqualTo(10_000L);
    }

    private void ask(int partition, long neededMinor, long limitMinor) {
        owner.process(new Record<>(COUNTER, BudgetRequest.newBuilder()
                .setSliceKey(COUNTER)
                .setPeriodStartMs(PERIOD_START_MS)
                .setLimitMinor(limitMinor)
                .setNeededMinor(neededMinor)
                .setPartition(partition)
                .setPartitions(PARTITIONS)
                .build(), PERIOD_START_MS));
    }

    private List<AccountCommand> commands() {
        return context.forwarded().stream().<AccountCommand>map(forwarded -> forwarded.record().value()).toList();
    }

    private int firstGrantPartition() {
        return commands().get(0).getTargetPartition();
    }

    /** Minor units granted per target partition, each grant a GRANT of this counter. */
    private Map<Integer, Long> grants() {
        Map<Integer, Long> granted = new TreeMap<>();
        for (AccountCommand command : commands()) {
            assertThat(command.getKind()).isEqualTo(AccountCommandKind.GRANT);
            assertThat(command.getSliceKey()).isEqualTo(COUNTER);
            granted.merge(command.getTargetPartition(), command.getGrantedMinor(), Long::sum);
        }
        return granted;
    }
}
