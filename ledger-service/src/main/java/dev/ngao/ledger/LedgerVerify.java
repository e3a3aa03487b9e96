package dev.ngao.ledger;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The verify command: opens a ledger read-only, walks its hash chain from entry 1, recomputes every
 * account's totals from the entries, checks the trial balance, and prints the first break. Exit status 0 when intact and balanced, 1 when broken, 2 on bad
 * usage or an unreadable ledger.
 *
 * <pre>java -cp ... dev.ngao.ledger.LedgerVerify [data-dir]</pre>
 * The directory defaults to {@code ledger.data.dir} from the environment ({@code NGAO_LEDGER_DATA_DIR}).
 */
public final class LedgerVerify {

    public static final int INTACT = 0;
    public static final int BROKEN = 1;
    public static final int UNUSABLE = 2;

    private LedgerVerify() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs the command; returns its exit status. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() > 1) {
            err.println("usage: ledger verify [data-dir]");
            return UNUSABLE;
        }
        Path directory = args.isEmpty() ? LedgerConfig.dataDirectory(System.getenv())
                : Path.of(args.get(0));
        try (LedgerStore store = LedgerStore.openReadOnly(directory)) {
            ChainVerification chain = store.verifyChain();
            out.println(chain);
            java.util.Optional<String> balances = store.verifyBalances();
            out.println(balances.map(problem -> "balances do not match the entries: " + problem)
                    .orElse("balances match the entries"));
            List<CurrencyTotals> totals = store.trialBalance();
            boolean balanced = totals.stream().allMatch(CurrencyTotals::balanced);
            for (CurrencyTotals currency : totals) {
                out.println("trial balance " + currency.currency() + ": debits " + currency.debitsMinor()
                        + ", credits " + currency.creditsMinor() + (currency.balanced() ? "" : " NOT BALANCED"));
            }
            return chain.intact() && balances.isEmpty() && balanced ? INTACT : BROKEN;
        } catch (LedgerStoreException e) {
            err.println("cannot read the ledger at " + directory + ": " + e.getMessage());
            return UNUSABLE;
        }
    }
}
