package dev.ngao.schemas.topics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTableTest {

    @Test
    void shouldWriteOneRowPerTopicWithItsWriterAndRetention() {
        // When
        String table = TopicsTable.markdown(Topics.ALL);

        // Then: a header, a rule, then each topic once, in declaration order
        String[] rows = table.strip().split("\n");
        assertThat(rows).hasSize(Topics.ALL.size() + 2);
        assertThat(rows[2]).startsWith("| `payments.requests` | `PaymentRequest` | ingest-service | ")
                .contains("| 30 days |");
        assertThat(table).contains("| `ledger.entries` | `JournalEntry` | ledger-service |")
                .contains("| `ingest.idempotency` |")
                .contains("| `schemas.registry` | `String` | the embedded schema store | 1 | compacted |");
        assertThat(rowOf(table, "ledger.entries")).contains("| forever |");
        assertThat(rowOf(table, "ingest.idempotency")).contains("| 3 days |");
    }

    private static String rowOf(String table, String topic) {
        return table.lines().filter(line -> line.startsWith("| `" + topic + "` |")).findFirst().orElseThrow();
    }
}
