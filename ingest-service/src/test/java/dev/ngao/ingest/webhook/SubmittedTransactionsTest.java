package dev.ngao.ingest.webhook;

import dev.ngao.ingest.state.SharedTestStateStores;
import dev.ngao.ingest.webhook.SubmittedTransactions.Verdict;
import dev.ngao.ingest.state.IngestStateStores;
import dev.ngao.ingest.state.StoreFiles;
import dev.ngao.platform.rocksdb.RocksCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SubmittedTransactionsTest {

    @Test
    void shouldKnowEveryRecordedTransactionAndNoOtherWhileComplete() {
        // Given many more ids than the table starts with, in ingest's format and others
        SubmittedTransactions submitted = new SubmittedTransactions(SharedTestStateStores.get(), 100_000);
        for (int index = 0; index < 20_000; index++) {
            submitted.record(ingestId(index));
        }
        submitted.record("upstream-7731");

        // Then each is known, an id never recorded is unknown, and the set is complete
        for (int index = 0; index < 20_000; index++) {
            assertThat(submitted.verdict(ingestId(index))).isEqualTo(Verdict.KNOWN);
        }
        assertThat(submitted.verdict("upstream-7731")).isEqualTo(Verdict.KNOWN);
        assertThat(submitted.verdict(ingestId(20_000))).isEqualTo(Verdict.UNKNOWN);
        assertThat(submitted.verdict("upstream-7732")).isEqualTo(Verdict.UNKNOWN);
        assertThat(submitted.size()).isEqualTo(20_001);
        assertThat(submitted.incomplete()).isFalse();
    }

    @Test
    void shouldCountARecordedTransactionOnceWhenItIsReadAgain() {
        SubmittedTransactions submitted = new SubmittedTransactions(SharedTestStateStores.get(), 10);
        submitted.record(ingestId(1));
        submitted.record(ingestId(1));

        assertThat(submitted.size()).isEqualTo(1);
    }

    @Test
    void shouldCallAMissUnverifiableRatherThanUnknownOnceAnIdHadToBeLeftOut() {
        // Given a set at its bound
        SubmittedTransactions submitted = new SubmittedTransactions(SharedTestStateStores.get(), 3);
        for (int index = 0; index < 3; index++) {
            submitted.record(ingestId(index));
        }
        assertThat(submitted.verdict(ingestId(99))).isEqualTo(Verdict.UNKNOWN);

        // When one more transaction is submitted
        submitted.record(ingestId(3));

        // Then what it holds is still known, and no miss is called unknown: it may be the one left out
        assertThat(submitted.incomplete()).isTrue();
        assertThat(submitted.verdict(ingestId(0))).isEqualTo(Verdict.KNOWN);
        assertThat(submitted.verdict(ingestId(3))).isEqualTo(Verdict.UNVERIFIABLE);
        assertThat(submitted.verdict(ingestId(99))).isEqualTo(Verdict.UNVERIFIABLE);
        assertThat(submitted.size()).isEqualTo(3);
    }

    @Test
    void shouldKeepTheFingerprintsInItsStoreFilesWhenRecorded(@TempDir Path directory) {
        // Given a set in a configured state directory
        try (IngestStateStores stores = IngestStateStores.open(Optional.of(directory), 8L * 1024 * 1024)) {
            SubmittedTransactions submitted = new SubmittedTransactions(stores, 10);
            submitted.record(ingestId(1));
            submitted.record("upstream-7731");
        }

        // Then another reader of its files finds one 8-byte fingerprint per id, the same a new set computes
        List<String> onDisk = StoreFiles.hexKeys(StoreFiles.onlyStoreDirectory(directory), List.of("fingerprints"),
                "fingerprints");
        assertThat(onDisk).containsExactlyInAnyOrder(
                HexFormat.of().formatHex(RocksCodec.longBytes(SubmittedTransactions.fingerprint(ingestId(1)))),
                HexFormat.of().formatHex(RocksCodec.longBytes(SubmittedTransactions.fingerprint("upstream-7731"))));
    }

    @Test
    void shouldIgnoreAnEmptyTransactionId() {
        SubmittedTransactions submitted = new SubmittedTransactions(SharedTestStateStores.get(), 10);
        submitted.record("");
        submitted.record(null);

        assertThat(submitted.size()).isZero();
    }

    /** An id as ingest derives them: txn_ and 32 hex digits of a keyed hash. */
    private static String ingestId(int index) {
        byte[] bytes = new byte[16];
        long mixed = (index + 1) * 0x9E3779B97F4A7C15L;
        for (int position = 0; position < 8; position++) {
            bytes[position] = (byte) (mixed >>> (8 * position));
            bytes[8 + position] = (byte) (index >>> (8 * (position % 4)));
        }
        return "txn_" + HexFormat.of().formatHex(bytes);
    }
}
