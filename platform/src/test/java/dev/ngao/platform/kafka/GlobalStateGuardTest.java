package dev.ngao.platform.kafka;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GlobalStateGuardTest {

    @TempDir
    Path stateDirectory;

    private Map<String, Object> properties() {
        return Map.of(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString(),
                StreamsConfig.APPLICATION_ID_CONFIG, "ngao-risk");
    }

    private Path application() {
        return stateDirectory.resolve("ngao-risk");
    }

    private Path global() {
        return application().resolve(GlobalStateGuard.GLOBAL);
    }

    @Test
    void shouldDeleteGlobalStoresWhenTheLastStopWasNotMarkedClean() throws IOException {
        // Given global stores with data and no clean-stop mark, as a kill -9 leaves them
        Path segment = Files.createDirectories(global().resolve("signals").resolve("signals.1796256000000"));
        Files.writeString(segment.resolve("000012.sst"), "data");
        Files.createDirectories(global().resolve("rule-sets"));
        Files.writeString(global().resolve(GlobalStateGuard.CHECKPOINT), "0\n1\nrisk.signals 0 4200\n");

        // Then both are deleted with any checkpoint of their offsets, so Kafka Streams restores them from the start
        assertThat(GlobalStateGuard.wipeIfLeftUnclean(properties())).isTrue();
        assertThat(global().resolve("signals")).doesNotExist();
        assertThat(global().resolve("rule-sets")).doesNotExist();
        assertThat(global().resolve(GlobalStateGuard.CHECKPOINT)).doesNotExist();
        assertThat(global()).exists();
    }

    @Test
    void shouldKeepGlobalStoresAfterACleanStopAndForgetTheMarkAtStart() throws IOException {
        // Given a clean stop
        Files.createDirectories(global().resolve("signals"));
        GlobalStateGuard.markCleanStop(properties());

        // Then the next start keeps the stores, and removes the mark: should this run crash, the one after wipes
        assertThat(GlobalStateGuard.wipeIfLeftUnclean(properties())).isFalse();
        assertThat(global().resolve("signals")).exists();
        assertThat(application().resolve(GlobalStateGuard.CLEAN_STOP)).doesNotExist();
        assertThat(GlobalStateGuard.wipeIfLeftUnclean(properties())).isTrue();
    }

    @Test
    void shouldLeaveAFirstStartAlone() {
        assertThat(GlobalStateGuard.wipeIfLeftUnclean(properties())).isFalse();
        assertThat(global()).doesNotExist();
    }
}
