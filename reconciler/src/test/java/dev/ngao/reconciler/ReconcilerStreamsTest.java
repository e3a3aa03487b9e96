package dev.ngao.reconciler;

import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.KafkaSettings;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.observability.ServiceMetrics;
import dev.ngao.platform.rocksdb.BoundedMemoryRocksDbConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcilerStreamsTest {

    @Test
    void shouldBoundBothApplicationsRocksDbMemoryInOnePoolOfTheConfiguredSize() {
        // Given a reconciler configured with 24 MiB of RocksDB memory
        ReconcilerConfig config = ReconcilerConfig.fromEnvironment(Map.of(
                "NGAO_RECONCILER_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT,
                "NGAO_RECONCILER_APPLICATION_ID", "recon-a",
                "NGAO_RECONCILER_ROCKSDB_MEMORY_BYTES", "25165824"));
        try (ServiceMetrics metrics = new ServiceMetrics("reconciler-test")) {
            ReconcilerStreams streams = new ReconcilerStreams(config,
                    new KafkaContext(KafkaSettings.from(config), null), metrics, new CompletableFuture<>());

            // When both applications' settings are built
            Map<String, Object> matching = streams.matcherStreamsConfig();
            Map<String, Object> submission = streams.submitterStreamsConfig();

            // Then each application is its own, and both stores' memory is bounded by one pool of that size
            assertThat(matching).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "recon-a");
            assertThat(submission).containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "recon-a-submit");
            for (Map<String, Object> properties : java.util.List.of(matching, submission)) {
                assertThat(properties)
                        .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
                                BoundedMemoryRocksDbConfig.class)
                        .containsEntry(BoundedMemoryRocksDbConfig.MEMORY_BYTES, 25_165_824L)
                        .containsEntry(BoundedMemoryRocksDbConfig.MEMORY_POOL, "recon-a");
            }
        }
    }
}
