package dev.ngao.ledger;

import dev.ngao.platform.cli.CallerFiles;
import dev.ngao.platform.cli.ExitStatus;
import dev.ngao.platform.cli.OneLine;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The verify command: opens a ledger read-only, walks its hash chain from entry 1, recomputes every
 * account's totals from the entries, checks the trial balance, and prints the first break. Exit status 0 when
 * intact and balanced, 1 when broken, 2 when the ledger cannot be read, {@value ExitStatus#USAGE} on bad usage or
 * a data directory that does not exist; each error is one line.
 *
 * <pre>ngao ledger-verify [data-dir]</pre>
 * The directory, relative to the caller's ({@link CallerFiles}), defaults to {@code ledger.data.dir} from the
 * environment ({@code NGAO_LEDGER_DATA_DIR}).
 */
public final class LedgerVerify {

    public static final int INTACT = 0;
    public static final int BROKEN = 1;
    public static final int UNUSABLE = 2;
    static final String USAGE = "usage: ngao ledger-verify [data-dir]";

    private LedgerVerify() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs the command; returns its exit status. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    /** Runs the command with {@code environment} as the process's; returns its exit status. */
    public static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.size() > 1 || (args.size() == 1 && args.get(0).startsWith("-"))) {
            err.println(USAGE);
            return ExitStatus.USAGE;
        }
        Path directory;
        try {
            directory = args.isEmpty() ? LedgerConfig.dataDirectory(environment)
                    : CallerFiles.of(environment).existingDirectory(args.get(0));
        } catch (IllegalArgumentException e) {
            err.println("ledger-verify: " + e.getMessage());
            return ExitStatus.USAGE;
        }
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
            err.println("ledger-verify: cannot read the ledger at " + directory + ": "
                    + OneLine.of(e.getMessage()));
            return UNUSABLE;
        }
    }
}
