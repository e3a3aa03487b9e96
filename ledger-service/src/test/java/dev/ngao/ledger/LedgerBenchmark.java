package dev.ngao.ledger;

import dev.ngao.events.AccountKind;
import dev.ngao.events.DecisionKind;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark (not a test; run by {@code ledger-service/bench/run.sh}): the same stream of approved
 * collections posted by Ngao's ledger and by a straightforward PostgreSQL double-entry ledger.
 *
 * <p>Ngao: each decision goes through {@link PostingRules} into a {@link LedgerBatch} (lifecycle,
 * entry, hash chain, balances) and {@link LedgerStore#commit} writes a poll's worth ({@code --batch}
 * decisions, as max.poll.records) in one synced RocksDB write, with the consumed offset, as the
 * service does. PostgreSQL: one transaction per entry, committed with the default durable settings:
 * insert the entry and its two postings, upsert the two balances.
 */
public final class LedgerBenchmark {

    private static final int MERCHANTS = 1_000;
    private static final String[] CURRENCIES = {"KES", "UGX", "PEN"};
    private static final Instant START = Instant.parse("2025-01-15T00:00:00Z");
    private static final TopicPartition PARTITION = new TopicPartition("bench.decisions", 0);

    private LedgerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        long entries = Long.parseLong(options.getOrDefault("entries", "1000000"));
        long pgEntries = Long.parseLong(options.getOrDefault("pg-entries", Long.toString(entries)));
        int batch = Integer.parseInt(options.getOrDefault("batch", "500"));
        Path rocks = Path.of(options.get("rocks-dir"));
        String pgUrl = options.get("pg-url");

        System.out.printf("ledger benchmark: %,d entries on Ngao (commits of %d), %,d on PostgreSQL (one "
                + "transaction each), %d merchants, %d currencies%n", entries, batch, pgEntries, MERCHANTS,
                CURRENCIES.length);
        long singleEntries = Long.parseLong(options.getOrDefault("single-entries", "10000"));
        double ngao = ngao(rocks, entries, batch);
        if (singleEntries > 0) {
            // Like for like with PostgreSQL's one transaction per entry: one synced write per entry.
            double single = ngao(rocks.resolveSibling("rocks-single"), singleEntries, 1);
            System.out.printf("ngao, one commit per entry: %,.0f postings/s%n", single);
        }
        if (pgEntries == 0) {
            return;
        }
        double postgres = postgres(pgUrl, pgEntries);
        System.out.printf("RESULT postgresql %,.0f postings/s | ngao %,.0f postings/s | ratio ngao/postgresql %.1fx%n",
                postgres, ngao, ngao / postgres);
    }

    private static double ngao(Path directory, long entries, int batchSize) throws IOException {
        Files.createDirectories(directory);
        PostingRules rules = new PostingRules();
        long started = System.nanoTime();
        try (LedgerStore store = LedgerStore.open(directory)) {
            long posted = 0;
            long commitNanos = 0;
            while (posted < entries) {
                LedgerBatch batch = store.newBatch();
                int size = (int) Math.min(batchSize, entries - posted);
                for (int index = 0; index < size; index++) {
                    long number = posted + index;
                    rules.decision(batch, decision(number), PARTITION.topic() + "-0@" + number, at(number));
                }
                batch.advanceOffset(PARTITION, posted + size);
                long committing = System.nanoTime();
                store.commit(batch);
                commitNanos += System.nanoTime() - committing;
                posted += size;
                if (posted % 200_000 == 0) {
                    System.out.printf("  ngao %,d entries%n", posted);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("  ngao: %.1f s of it in LedgerStore.commit (checks and the synced write)%n",
                    commitNanos / 1e9);
            ChainVerification chain = store.verifyChain();
            boolean balanced = store.trialBalance().stream().allMatch(CurrencyTotals::balanced);
            System.out.printf("ngao (commits of %d): %,d entries in %.1f s = %,.0f postings/s (chain intact %s, "
                            + "trial balance zero %s)%n",
                    batchSize, store.head().sequence(), seconds, entries / seconds, chain.intact(), balanced);
            return entries / seconds;
        }
    }

    private static double postgres(String url, long entries) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url)) {
            try (Statement schema = connection.createStatement()) {
                schema.execute("DROP TABLE IF EXISTS postings, entries, balances");
                schema.execute("CREATE TABLE entries (entry_id text PRIMARY KEY, transaction_id text NOT NULL, "
                        + "kind text NOT NULL, posted_at timestamptz NOT NULL)");
                schema.execute("CREATE TABLE postings (entry_id text NOT NULL REFERENCES entries, account text NOT NULL, "
                        + "side char(1) NOT NULL, amount_minor bigint NOT NULL CHECK (amount_minor > 0), "
                        + "currency char(3) NOT NULL)");
                schema.execute("CREATE INDEX postings_account ON postings (account)");
                schema.execute("CREATE TABLE balances (account text PRIMARY KEY, currency char(3) NOT NULL, "
                        + "debits_minor bigint NOT NULL, credits_minor bigint NOT NULL)");
            }
            connection.setAutoCommit(false);
            long started = System.nanoTime();
            try (PreparedStatement entry = connection.prepareStatement(
                    "INSERT INTO entries (entry_id, transaction_id, kind, posted_at) VALUES (?, ?, ?, ?)");
                 PreparedStatement posting = connection.prepareStatement(
                         "INSERT INTO postings (entry_id, account, side, amount_minor, currency) VALUES (?, ?, ?, ?, ?)");
                 PreparedStatement balance = connection.prepareStatement(
                         "INSERT INTO balances AS b (account, currency, debits_minor, credits_minor) VALUES (?, ?, ?, ?) "
                                 + "ON CONFLICT (account) DO UPDATE SET debits_minor = b.debits_minor + EXCLUDED.debits_minor, "
                                 + "credits_minor = b.credits_minor + EXCLUDED.credits_minor")) {
                for (long number = 0; number < entries; number++) {
                    RiskDecision decision = decision(number);
                    String entryId = PostingRules.approvedEntryId(decision.getTransactionId());
                    String currency = decision.getAmount().getCurrency();
                    long amountMinor = decision.getAmount().getAmountMinor();
                    String debit = "provider:" + decision.getProvider() + ":clearing:" + currency;
                    String credit = "merchant:" + decision.getMerchantId() + ":pending:" + currency;
                    entry.setString(1, entryId);
                    entry.setString(2, decision.getTransactionId());
                    entry.setString(3, "collection.approved");
                    entry.setTimestamp(4, Timestamp.from(at(number)));
                    entry.executeUpdate();
                    for (String[] line : List.of(new String[] {debit, "D"}, new String[] {credit, "C"})) {
                        posting.setString(1, entryId);
                        posting.setString(2, line[0]);
                        posting.setString(3, line[1]);
                        posting.setLong(4, amountMinor);
                        posting.setString(5, currency);
                        posting.executeUpdate();
                        balance.setString(1, line[0]);
                        balance.setString(2, currency);
                        balance.setLong(3, line[1].equals("D") ? amountMinor : 0);
                        balance.setLong(4, line[1].equals("C") ? amountMinor : 0);
                        balance.executeUpdate();
                    }
                    connection.commit();
                    if ((number + 1) % 100_000 == 0) {
                        System.out.printf("  postgresql %,d entries%n", number + 1);
                    }
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("postgresql: %,d entries in %.1f s = %,.0f postings/s%n", entries, seconds,
                    entries / seconds);
            return entries / seconds;
        }
    }

    private static RiskDecision decision(long number) {
        String currency = CURRENCIES[(int) (number % CURRENCIES.length)];
        Instant at = at(number);
        return RiskDecision.newBuilder()
                .setTransactionId("tx-" + number)
                .setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId("m-" + (number % MERCHANTS))
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("wallet-" + number)
                .setAmount(Money.newBuilder().setAmountMinor(100 + number % 10_000).setCurrency(currency).build())
                .setProvider("mobile-money-hub")
                .setOutcome(Outcome.APPROVE)
                .setReasons(List.of())
                .setRequestedAt(at)
                .setDecidedAt(at)
                .setKind(DecisionKind.INITIAL)
                .build();
    }

    private static Instant at(long number) {
        return START.plusMillis(number);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int index = 0; index + 1 < args.length; index += 2) {
            options.put(args[index].replaceFirst("^--", ""), args[index + 1]);
        }
        return options;
    }
}
