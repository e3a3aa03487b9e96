package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.ProviderStatus;
import dev.ngao.platform.cli.CallerFiles;
import dev.ngao.platform.cli.ExitStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The verify command walks the hash chain and names the first entry that does not follow. */
class LedgerVerifyTest {

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void fillLedger() {
        try (LedgerStore store = LedgerStore.open(directory)) {
            new TestLedger(store)
                    .decide(Decisions.approvedCollection("tx-1", 1_000))
                    .report(Decisions.status("tx-1", "ev-1", ProviderStatus.SUCCEEDED))
                    .decide(Decisions.approvedCollection("tx-2", 2_000))
                    .decide(Decisions.approvedPayout("tx-3", 500));
        }
    }

    @Test
    void shouldReportIntactWhenNothingWasChanged() {
        // When
        int status = verify();

        // Then
        assertThat(status).isEqualTo(LedgerVerify.INTACT);
        assertThat(output()).contains("ledger chain intact: 4 entries").contains("balances match the entries")
                .contains("trial balance KES: debits 4500");
    }

    @Test
    void shouldReportFirstBreakWhenAnEntryAmountIsTampered() {
        // Given entry 2's amount changed on disk, its hash left as it was
        tamper(2, entry -> entry.getPostings().forEach(posting -> posting.getAmount().setAmountMinor(999)));

        // When
        int status = verify();

        // Then
        assertThat(status).isEqualTo(LedgerVerify.BROKEN);
        assertThat(output()).contains("broken at sequence 2 (last good 1)").contains("does not match its hash");
    }

    @Test
    void shouldReportTheNextEntryWhenTamperedEntryHashWasRecomputed() {
        // Given entry 2 changed and re-hashed: it is consistent alone, but entry 3 no longer links to it
        tamper(2, entry -> {
            entry.setKind("rewritten");
            entry.setHash(EntryHash.of(entry));
        });

        // When
        int status = verify();

        // Then
        assertThat(status).isEqualTo(LedgerVerify.BROKEN);
        assertThat(output()).contains("broken at sequence 3 (last good 2)")
                .contains("does not name the hash of entry 2");
    }

    @Test
    void shouldReportTheLastEntryWhenItWasChangedAndRehashed() {
        // Given the last entry changed and re-hashed: no later entry names its hash, the stored head does
        tamper(4, entry -> {
            entry.setKind("rewritten");
            entry.setHash(EntryHash.of(entry));
        });

        // When
        int status = verify();

        // Then
        assertThat(status).isEqualTo(LedgerVerify.BROKEN);
        assertThat(output()).contains("broken at sequence 4 (last good 3)")
                .contains("does not match the ledger's head hash");
    }

    @Test
    void shouldReportBrokenWhenStoredBalanceDiffersFromEntries() {
        // Given an account's totals changed on disk, debits and credits moved together so the trial
        // balance still sums to zero
        try (LedgerStore store = LedgerStore.open(directory)) {
            AccountName pending = AccountName.parse("merchant:m-1:pending:KES");
            AccountBalance stored = store.balance(pending).orElseThrow();
            store.overwriteBalanceUnchecked(new AccountBalance(stored.account(), stored.currency(),
                    stored.debitsMinor() + 1, stored.creditsMinor() + 1));
        }

        // When
        int status = verify();

        // Then
        assertThat(status).isEqualTo(LedgerVerify.BROKEN);
        assertThat(output()).contains("ledger chain intact")
                .contains("stored totals of merchant:m-1:pending:KES differ from its entries");
    }

    @Test
    void shouldReportUnusableWhenTheDirectoryHoldsNoLedger() throws Exception {
        // Given a directory with no ledger in it
        Path empty = Files.createDirectory(directory.resolve("empty"));

        // When
        int status = LedgerVerify.run(List.of(empty.toString()), print(out), print(err));

        // Then
        assertThat(status).isEqualTo(LedgerVerify.UNUSABLE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("ledger-verify: cannot read the ledger at " + empty);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).doesNotContain("\n", "\tat ");
    }

    @Test
    void shouldResolveTheDirectoryAgainstTheCallerAndRefuseAMissingOneInOneLine() {
        // Given a caller standing in this ledger's parent directory
        Map<String, String> caller = Map.of(CallerFiles.CALLER_DIR, directory.getParent().toString());

        // When the ledger is named relative to the caller, then a directory that is not there, then a flag
        int found = LedgerVerify.run(List.of(directory.getFileName().toString()), caller, print(out), print(err));
        int missing = LedgerVerify.run(List.of("no-ledger-here"), caller, print(out), print(err));
        int flag = LedgerVerify.run(List.of("--repair"), caller, print(out), print(err));

        // Then the caller's ledger is verified, and each refusal is one line with the usage status
        assertThat(found).isEqualTo(LedgerVerify.INTACT);
        assertThat(missing).isEqualTo(ExitStatus.USAGE);
        assertThat(flag).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("ledger-verify: no such directory: "
                + directory.getParent().resolve("no-ledger-here") + "\n" + LedgerVerify.USAGE + "\n");
    }

    private void tamper(long sequence, java.util.function.Consumer<JournalEntry> change) {
        try (LedgerStore store = LedgerStore.open(directory)) {
            JournalEntry entry = store.entriesAfter(sequence - 1, 1).get(0);
            change.accept(entry);
            store.overwriteEntryUnchecked(entry);
        }
    }

    private int verify() {
        return LedgerVerify.run(List.of(directory.toString()), print(out), print(err));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
