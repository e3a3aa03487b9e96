package dev.ngao.ledger;

import dev.ngao.events.JournalEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The day's entries, found by their posting time in the store's time index. */
class EntryExportTest {

    @TempDir
    Path directory;

    @Test
    void shouldFindAnEntryPostedLateInADayWhoseEndSortsBelowItAsSignedBytes() throws Exception {
        // Given an entry posted at 21:00 UTC on 2026-12-06: its time's sixth byte (0x1f...) is below the day's
        // end's (0xcc...) unsigned, as RocksDB orders keys, but above it as a signed Java byte
        try (LedgerStore store = LedgerStore.open(directory)) {
            LedgerBatch batch = store.newBatch();
            new PostingRules().decision(batch, Decisions.approvedCollection("tx-late", 100L), "risk.decisions-0@0",
                    Instant.parse("2026-12-06T21:00:00Z"));
            store.commit(batch);

            // When the day's entries are read
            List<JournalEntry> day = new ArrayList<>();
            store.forEachEntryPosted(TimeRange.utcDay(LocalDate.parse("2026-12-06")), day::add);

            // Then the entry is among them
            assertThat(day).extracting(JournalEntry::getTransactionId).containsExactly("tx-late");
        }
    }
}
