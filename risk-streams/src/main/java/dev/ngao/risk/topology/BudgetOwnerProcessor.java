package dev.ngao.risk.topology;

import dev.ngao.platform.invariant.Invariants;
import dev.ngao.risk.internal.AccountCommand;
import dev.ngao.risk.internal.AccountCommandKind;
import dev.ngao.risk.internal.BudgetRequest;
import dev.ngao.risk.internal.MerchantBudget;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The owner of every hard-limit counter that accounts in different tasks share (a merchant's daily limit,
 * a limit on an MSISDN, a device...), keyed by the counter: it escrows the period's budget to the decision
 * tasks in slices. A refill is granted from what is left ({@link #grantSize}, at most the rest), and the period's
 * first one grants every task a slice (see {@link #process}); nothing left
 * answers an exhausted grant of 0, on which the asking task declines what does not fit its slice. Invariant:
 * the slices granted never add up to more than the limit, so the approvals of all tasks together never
 * overspend it. A slice's unused budget stays with its task, so near the end of the budget a merchant may be
 * declined a little before its limit (each task keeps at most its last, small, grant): conservative, never over.
 */
final class BudgetOwnerProcessor implements Processor<String, BudgetRequest, String, AccountCommand> {

    /** The smallest grant is 1/64 of the limit per task. */
    static final int FLOOR_SHARES = 64;

    private ProcessorContext<String, AccountCommand> context;
    private WindowStore<String, MerchantBudget> budgets;

    @Override
    public void init(ProcessorContext<String, AccountCommand> context) {
        this.context = context;
        this.budgets = context.getStateStore(RiskTopology.MERCHANT_BUDGETS_STORE);
    }

    /**
     * Half of what is left shared among the tasks, at least what the asking payment needs and a floor of
     * 1/64 of the limit per task: large grants while the budget is large (few round trips under load), small
     * ones as it runs out, so what the slices of other tasks hold unused at the end stays small.
     */
    static long grantSize(long limitMinor, int taskCount, long neededMinor, long leftMinor) {
        long partitions = Math.max(1, taskCount);
        long floorMinor = Math.max(1L, limitMinor / (FLOOR_SHARES * partitions));
        return Math.max(neededMinor, Math.max(leftMinor / (2 * partitions), floorMinor));
    }

    /**
     * Grants the asking task its refill. The first request of a counter's period (no budget yet, e.g. every
     * merchant at the start of its day) grants every task a slice at once, the asking one first: the other
     * tasks' first payments of the period then find budget in their slice instead of each waiting, parked,
     * for a round trip through this owner (at midnight UTC every merchant's slices start empty together,
     * under full load). What the other tasks do not use stays with them, as any slice's rest does.
     */
    @Override
    public void process(Record<String, BudgetRequest> record) {
        BudgetRequest request = record.value();
        if (request == null) {
            return;
        }
        MerchantBudget budget = budgets.fetch(request.getSliceKey(), request.getPeriodStartMs());
        boolean firstOfPeriod = budget == null;
        if (budget == null) {
            budget = new MerchantBudget(request.getLimitMinor(), 0L);
        }
        // A rule set published since may have changed the limit: the latest asked for is the one in force.
        budget.setLimitMinor(request.getLimitMinor());
        grant(record, budget, request.getPartition(), request.getNeededMinor(), true);
        if (firstOfPeriod) {
            int partitions = Math.max(1, request.getPartitions());
            for (int partition = 0; partition < partitions; partition++) {
                if (partition != request.getPartition()) {
                    grant(record, budget, partition, 1L, false);
                }
            }
        }
        budgets.put(request.getSliceKey(), budget, request.getPeriodStartMs());
    }

    /**
     * Grants one task a slice of what is left and sends it to that task's partition. A task that did not ask
     * is sent nothing when nothing is left (it learns that when it asks).
     */
    private void grant(Record<String, BudgetRequest> record, MerchantBudget budget, int partition, long neededMinor,
                       boolean asked) {
        BudgetRequest request = record.value();
        long leftMinor = budget.getLimitMinor() - budget.getGrantedMinor();
        long grantMinor = leftMinor <= 0 ? 0L : Math.min(leftMinor, grantSize(request.getLimitMinor(),
                request.getPartitions(), neededMinor, leftMinor));
        if (grantMinor == 0 && !asked) {
            return;
        }
        budget.setGrantedMinor(budget.getGrantedMinor() + grantMinor);
        Invariants.check(grantMinor == 0 || budget.getGrantedMinor() <= budget.getLimitMinor(),
                "the slices granted of a shared limit would exceed the limit");
        context.forward(record.withValue(AccountCommand.newBuilder()
                .setKind(AccountCommandKind.GRANT)
                .setSliceKey(request.getSliceKey())
                .setPeriodStartMs(request.getPeriodStartMs())
                .setLimitMinor(request.getLimitMinor())
                .setGrantedMinor(grantMinor)
                .setExhausted(grantMinor == 0)
                .setTargetPartition(partition)
                .build()));
    }
}
