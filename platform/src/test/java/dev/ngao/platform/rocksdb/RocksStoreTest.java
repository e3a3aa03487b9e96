package dev.ngao.platform.rocksdb;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.ngao.platform.rocksdb.RocksCodec.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RocksStoreTest {

    private static final List<String> FAMILIES = List.of("entries", "offsets");
    private static final TopicPartition DECISIONS = new TopicPartition("risk.decisions", 3);

    @TempDir
    Path directory;

    @Test
    void shouldKeepWhatWasWrittenWhenReopened() {
        // Given
        try (RocksStore store = open()) {
            store.write(true, batch -> {
                batch.put(store.family("entries"), utf8("e-1"), utf8("first"));
                batch.put(store.family("offsets"), RocksCodec.offsetKey(DECISIONS), RocksCodec.longBytes(42));
            });
        }

        // When
        try (RocksStore reopened = open()) {

            // Then
            assertThat(get(reopened, "entries", utf8("e-1"))).isEqualTo(utf8("first"));
            assertThat(RocksCodec.readLong(get(reopened, "offsets", RocksCodec.offsetKey(DECISIONS)))).hasValue(42);
        }
    }

    @Test
    void shouldKeepEachColumnFamilyApartWhenKeysAreEqual() {
        // Given
        try (RocksStore store = open()) {

            // When
            store.write(false, batch -> batch.put(store.family("entries"), utf8("k"), utf8("entry")));

            // Then
            assertThat(get(store, "offsets", utf8("k"))).isNull();
            byte[] inDefault = store.read(db -> db.get(utf8("k")));
            assertThat(inDefault).isNull();
            assertThatThrownBy(() -> store.family("missing")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldNameTheFamiliesOnDiskWhenRocksDbListsThem() throws Exception {
        // Given
        try (RocksStore store = open()) {
            store.write(true, batch -> batch.put(store.family("offsets"), utf8("k"), utf8("v")));
        }

        // When
        List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, directory.toString());
        }

        // Then
        assertThat(names.stream().map(RocksCodec::string)).containsExactly("default", "entries", "offsets");
    }

    @Test
    void shouldDropLeftOverFamiliesWhenAskedTo() throws Exception {
        // Given
        try (RocksStore store = open()) {
            store.read(db -> {
                ColumnFamilyHandle run = db.createColumnFamily(new ColumnFamilyDescriptor(utf8("run:1"),
                        store.familyOptions()));
                run.close();
                return null;
            });
        }

        // When
        try (RocksStore reopened = RocksStore.at(directory, "test store").families(FAMILIES)
                .dropFamiliesStartingWith("run:").open()) {
            reopened.write(true, batch -> batch.put(reopened.family("entries"), utf8("k"), utf8("v")));
        }

        // Then
        try (Options options = new Options()) {
            assertThat(RocksDB.listColumnFamilies(options, directory.toString()).stream().map(RocksCodec::string))
                    .containsExactly("default", "entries", "offsets");
        }
    }

    @Test
    void shouldReadButRefuseToWriteWhenOpenedReadOnly() {
        // Given
        try (RocksStore store = open()) {
            store.write(true, batch -> batch.put(store.family("entries"), utf8("k"), utf8("v")));
        }

        // When
        try (RocksStore readOnly = RocksStore.at(directory, "test store").families(FAMILIES).readOnly().open()) {

            // Then
            assertThat(get(readOnly, "entries", utf8("k"))).isEqualTo(utf8("v"));
            assertThatThrownBy(() -> readOnly.write(true, batch -> batch.put(readOnly.family("entries"),
                    utf8("k"), utf8("w")))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldFailWithTheStoresOwnExceptionWhenClosed() {
        // Given
        RocksStore store = RocksStore.at(directory, "test store").families(FAMILIES).failure(StoreBroken::new).open();

        // When
        store.close();

        // Then
        assertThatThrownBy(() -> store.read(db -> db.get(utf8("k")))).isInstanceOf(StoreBroken.class)
                .hasMessageContaining("closed");
    }

    @Test
    void shouldSortNumbersByValueWhenEncodedAsKeys() {
        assertThat(Arrays.compareUnsigned(RocksCodec.longBytes(255), RocksCodec.longBytes(256))).isNegative();
        assertThat(RocksCodec.readLong(null)).isEmpty();
        assertThat(RocksCodec.prefixKey("txn")).containsExactly('t', 'x', 'n', 0);
        assertThat(RocksCodec.offsetKey(DECISIONS)).isEqualTo(RocksCodec.concat(utf8("risk.decisions"),
                new byte[] {0, 0, 0, 0, 3}));
    }

    private static byte[] get(RocksStore store, String family, byte[] key) {
        return store.read(db -> db.get(store.family(family), key));
    }

    private RocksStore open() {
        return RocksStore.at(directory, "test store").families(FAMILIES).bloomFilter().open();
    }

    private static final class StoreBroken extends RuntimeException {
        StoreBroken(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
