package dev.ngao.platform.kafka;

import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Global stores a process left when it did not stop cleanly are deleted before Kafka Streams starts, so it
 * restores them from their topics. Kafka Streams 4.3 keeps a store's open or closed status in the store itself;
 * under exactly-once a store found still open (kill -9, a power loss) may hold uncommitted data, so it throws
 * TaskCorruptedException. For a task's stores it wipes and restores them; for the global ones the global thread
 * dies while initializing instead, the client goes to ERROR, and every later start fails the same way on the
 * same directory. A clean stop is marked by a file of its own ({@value #CLEAN_STOP}, written once the client
 * closed within its timeout, removed at start), so a start that does not find it knows the last stop was not
 * clean. A global store is a copy of its source topic, so deleting it loses nothing: the restore reads the
 * topic again (risk-streams' signals: at most their 33 days).
 */
final class GlobalStateGuard {

    private static final Logger LOG = LoggerFactory.getLogger(GlobalStateGuard.class);
    /** Kafka Streams' global state directory under the application's. */
    static final String GLOBAL = "global";
    /** Kafka Streams' checkpoint file of the global stores' offsets, where it keeps one. */
    static final String CHECKPOINT = ".checkpoint";
    /** Beside it: present only between a clean stop and the next start. */
    static final String CLEAN_STOP = ".ngao-clean-stop";

    private GlobalStateGuard() {
    }

    /**
     * Before a start: deletes the application's global stores unless the last stop was marked clean, then
     * removes the mark (a crash of this run must find it absent). True if it deleted stores.
     */
    static boolean wipeIfLeftUnclean(Map<String, Object> properties) {
        Optional<Path> application = applicationDirectory(properties);
        if (application.isEmpty()) {
            return false;
        }
        Path global = application.get().resolve(GLOBAL);
        Path mark = application.get().resolve(CLEAN_STOP);
        try {
            boolean wiped = false;
            if (!Files.exists(mark) && Files.isDirectory(global)) {
                List<Path> stores;
                try (Stream<Path> entries = Files.list(global)) {
                    stores = entries.filter(Files::isDirectory).toList();
                }
                if (!stores.isEmpty()) {
                    LOG.warn("{} did not stop cleanly last time: deleting its global stores {} so that Kafka Streams "
                                    + "restores them from their topics", application.get().getFileName(),
                            stores.stream().map(store -> store.getFileName().toString()).sorted().toList());
                    for (Path store : stores) {
                        deleteRecursively(store);
                    }
                    // Kafka Streams 4.3 keeps the offsets in the stores; an older layout's checkpoint file would
                    // otherwise restore the emptied stores from where they had been, not from the start.
                    Files.deleteIfExists(global.resolve(CHECKPOINT));
                    wiped = true;
                }
            }
            Files.deleteIfExists(mark);
            return wiped;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect the global state of " + application.get(), e);
        }
    }

    /** After the client closed within its timeout: the next start may keep the global stores. */
    static void markCleanStop(Map<String, Object> properties) {
        applicationDirectory(properties).filter(Files::isDirectory).ifPresent(application -> {
            try {
                Files.writeString(application.resolve(CLEAN_STOP), "stopped cleanly\n");
            } catch (IOException e) {
                // The next start then rebuilds the global stores from their topics: slower, never wrong.
                LOG.warn("Cannot mark the clean stop of {}: {}", application, e.getMessage());
            }
        });
    }

    private static Optional<Path> applicationDirectory(Map<String, Object> properties) {
        Object stateDirectory = properties.get(StreamsConfig.STATE_DIR_CONFIG);
        Object applicationId = properties.get(StreamsConfig.APPLICATION_ID_CONFIG);
        if (stateDirectory == null || applicationId == null) {
            return Optional.empty();
        }
        return Optional.of(Path.of(stateDirectory.toString(), applicationId.toString()));
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
