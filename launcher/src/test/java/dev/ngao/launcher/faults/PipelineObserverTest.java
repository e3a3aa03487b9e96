package dev.ngao.launcher.faults;

import dev.ngao.launcher.faults.Observations.RequestRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineObserverTest {

    @Test
    void shouldCountEachTransactionsSubmissionsOnceWhenItsRequestWasWrittenTwice() {
        // Given a request the relay wrote twice after a crash, and a provider that took each payment once
        List<RequestRecord> records = List.of(new RequestRecord("txn_1", "k-1"), new RequestRecord("txn_1", "k-1"),
                new RequestRecord("txn_2", "k-2"), new RequestRecord("txn_3", "k-3"));
        Map<String, Integer> provider = Map.of("txn_1", 1, "txn_2", 2);

        // When counted
        Set<String> ids = PipelineObserver.transactionIds(records);
        Map<String, Integer> counts = PipelineObserver.submissionCounts(ids,
                id -> provider.getOrDefault(id, 0));

        // Then the twice-written request counts its one submission once; a real second submission stays two
        assertThat(ids).containsExactly("txn_1", "txn_2", "txn_3");
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("txn_1", 1, "txn_2", 2));
    }
}
