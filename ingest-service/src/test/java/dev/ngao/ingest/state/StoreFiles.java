package dev.ngao.ingest.state;

import dev.ngao.platform.rocksdb.RocksCodec;
import dev.ngao.platform.rocksdb.RocksStore;
import org.rocksdb.RocksIterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A second reader of a closed state store's files: what a test reads here was on disk, not in a Java map of the
 * store's owner.
 */
public final class StoreFiles {

    private StoreFiles() {
    }

    /** The directory of the one store opened under {@code root}. */
    public static Path onlyStoreDirectory(Path root) {
        try (Stream<Path> children = Files.list(root)) {
            List<Path> directories = children.toList();
            if (directories.size() != 1) {
                throw new IllegalStateException("expected one store under " + root + ", found " + directories);
            }
            return directories.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every key of {@code family}, in hexadecimal, read from the files of a closed store. */
    public static List<String> hexKeys(Path directory, List<String> families, String family) {
        return entries(directory, families, family, HexFormat.of()::formatHex).keySet().stream().toList();
    }

    /** Every entry of {@code family}, keys as UTF-8 text, read from the files of a closed store. */
    public static Map<String, byte[]> entries(Path directory, List<String> families, String family) {
        return entries(directory, families, family, RocksCodec::string);
    }

    private static Map<String, byte[]> entries(Path directory, List<String> families, String family,
                                               Function<byte[], String> keyText) {
        try (RocksStore reader = RocksStore.at(directory, "second reader").families(families).readOnly().open()) {
            return reader.read(db -> {
                Map<String, byte[]> entries = new LinkedHashMap<>();
                try (RocksIterator iterator = db.newIterator(reader.family(family))) {
                    for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                        entries.put(keyText.apply(iterator.key()), iterator.value());
                    }
                }
                return entries;
            });
        }
    }
}
