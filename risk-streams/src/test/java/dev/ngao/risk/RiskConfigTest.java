package dev.ngao.risk;

import dev.ngao.platform.rocksdb.BoundedMemoryRocksDbConfig;
import dev.ngao.platform.auth.TestKeys;
import dev.ngao.platform.config.InvalidConfigurationException;
import dev.ngao.risk.topology.TopologyOptions;
import dev.ngao.rules.DefaultRuleSet;
import dev.ngao.rules.LimitRule;
import dev.ngao.rules.Rule;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RiskConfigTest {

    @Test
    void shouldUseTheDocumentedDefaultsWhenNothingIsSet() {
        // When no variable is set
        RiskConfig config = load(Map.of());

        // Then the defaults apply
        assertThat(config.applicationId()).isEqualTo("ngao-risk");
        assertThat(config.stateDirectory()).isEqualTo(Path.of("data/risk-streams"));
        assertThat(config.defaultRuleSet().version()).isEqualTo("limits-v1");
        assertThat(limits(config, DefaultRuleSet.PER_TRANSACTION_LIMIT)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "KES", 15_000_000L, "UGX", 5_000_000L, "PEN", 500_000L, "XOF", 3_000_000L, "USD", 100_000L));
        assertThat(limits(config, DefaultRuleSet.DAILY_LIMIT)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "KES", 30_000_000L, "UGX", 10_000_000L, "PEN", 1_000_000L, "XOF", 6_000_000L, "USD", 200_000L));
        assertThat(config.replayRetention()).isEqualTo(Duration.ofHours(168));
        assertThat(config.usageRetention()).isEqualTo(Duration.ofDays(3));
        assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(60));
        TopologyOptions options = config.topologyOptions(6);
        assertThat(options.partitions()).isEqualTo(6);
        assertThat(config.streamThreads()).isEqualTo(2);
        assertThat(config.commitIntervalMs()).isEqualTo(20);
        assertThat(config.cacheMaxBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(config.rocksDbMemoryBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(config.producerLingerMs()).isEqualTo(5);
        assertThat(options.velocityRetention()).isEqualTo(Duration.ofDays(32));
        assertThat(options.historyRetention()).isEqualTo(Duration.ofDays(91));
        assertThat(options.deviceRetention()).isEqualTo(Duration.ofDays(180));
        assertThat(config.standbyReplicas()).isEqualTo(1);
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpPort()).isEqualTo(8084);
        assertThat(config.httpAdvertisedHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void shouldAdvertiseTheHttpHostUnlessAnotherIsNamed() {
        // When the API listens on every interface, first without and then with an advertised host
        RiskConfig bound = load(Map.of("NGAO_RISK_HTTP_HOST", "0.0.0.0",
                "NGAO_RISK_HTTP_PORT", "0"));
        RiskConfig advertised = load(Map.of("NGAO_RISK_HTTP_HOST", "0.0.0.0",
                "NGAO_RISK_HTTP_ADVERTISED_HOST", "risk-0.risk.ngao.svc"));

        // Then other instances are told the bound host, or the advertised one
        assertThat(bound.httpAdvertisedHost()).isEqualTo("0.0.0.0");
        assertThat(bound.httpPort()).isZero();
        assertThat(advertised.httpAdvertisedHost()).isEqualTo("risk-0.risk.ngao.svc");
    }

    @Test
    void shouldRefuseAPortOutOfRange() {
        assertThatThrownBy(() -> load(Map.of("NGAO_RISK_HTTP_PORT", "65536")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_RISK_HTTP_PORT");
    }

    @Test
    void shouldReadLimitsAndRetentionsFromTheEnvironment() {
        // When the variables are set
        RiskConfig config = load(Map.of(
                "NGAO_RISK_LIMITS_PER_TRANSACTION", "KES:100, PEN:250",
                "NGAO_RISK_LIMITS_DAILY", "KES:1000",
                "NGAO_RISK_RULE_SET_VERSION", "limits-v2",
                "NGAO_RISK_REPLAY_RETENTION_HOURS", "24",
                "NGAO_RISK_USAGE_RETENTION_DAYS", "2",
                "NGAO_RISK_APPLICATION_ID", "risk-test"));

        // Then they are used
        assertThat(limits(config, DefaultRuleSet.PER_TRANSACTION_LIMIT)).containsEntry("PEN", 250L);
        assertThat(limits(config, DefaultRuleSet.DAILY_LIMIT)).containsExactlyEntriesOf(Map.of("KES", 1_000L));
        assertThat(config.defaultRuleSet().version()).isEqualTo("limits-v2");
        assertThat(config.replayRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(config.usageRetention()).isEqualTo(Duration.ofDays(2));
        assertThat(config.applicationId()).isEqualTo("risk-test");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "KES:30000000,XYZ:5",     // not an ISO-4217 code
            "KES:30000000,kes:5",     // lower case
            "KES:-1",                 // negative
            "KES:0",                  // zero
            "KES:1.5",                // not whole minor units
            "KES:99999999999999999999", // beyond a long
            "KES",                    // no amount
            "KES:1,KES:2",            // twice
            ""                        // nothing: every request would be declined
    })
    void shouldRefuseABadDailyLimitNamingTheKey(String value) {
        // When the daily limits carry a bad entry
        // Then the configuration is refused with a message naming the key and its variable
        assertThatThrownBy(() -> load(Map.of("NGAO_RISK_LIMITS_DAILY", value)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(RiskConfig.DAILY_LIMITS)
                .hasMessageContaining("NGAO_RISK_LIMITS_DAILY");
    }

    @Test
    void shouldRefuseABadPerTransactionLimitNamingTheKeyAndTheEntry() {
        assertThatThrownBy(() -> load(Map.of("NGAO_RISK_LIMITS_PER_TRANSACTION", "KES:100,ABC:5")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(RiskConfig.PER_TRANSACTION_LIMITS)
                .hasMessageContaining("ABC:5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NGAO_RISK_REPLAY_RETENTION_HOURS", "NGAO_RISK_USAGE_RETENTION_DAYS"})
    void shouldRefuseARetentionBelowOne(String variable) {
        assertThatThrownBy(() -> load(Map.of(variable, "0")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(variable);
    }

    @Test
    void shouldReadTheEngineSettingsStandbysAndRetentionsFromTheEnvironment() {
        RiskConfig config = load(Map.of(
                "NGAO_RISK_STREAM_THREADS", "4",
                "NGAO_RISK_COMMIT_INTERVAL_MS", "50",
                "NGAO_RISK_ROCKSDB_MEMORY_BYTES", "134217728",
                "NGAO_RISK_STANDBY_REPLICAS", "2",
                "NGAO_RISK_VELOCITY_RETENTION_HOURS", "1000"));

        TopologyOptions options = config.topologyOptions(3);
        assertThat(options.velocityRetention()).isEqualTo(Duration.ofHours(1000));
        assertThat(config.standbyReplicas()).isEqualTo(2);
        Map<String, Object> engine = RiskStreamsService.engineProperties(config);
        assertThat(engine).containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 4)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50)
                .containsEntry(BoundedMemoryRocksDbConfig.MEMORY_BYTES, 134_217_728L)
                .containsEntry(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class)
                .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024)
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        assertThat(RiskStreamsService.engineProperties(load(Map.of("NGAO_RISK_MAX_TASK_IDLE_MS", "0"))))
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "NGAO_RISK_STREAM_THREADS=0",
            "NGAO_RISK_COMMIT_INTERVAL_MS=0",
            "NGAO_RISK_ROCKSDB_MEMORY_BYTES=1024",      // below what one store's memtables need
            "NGAO_RISK_STANDBY_REPLICAS=-1",
            "NGAO_RISK_MAX_TASK_IDLE_MS=-2",
            "NGAO_RISK_VELOCITY_RETENTION_HOURS=24",    // shorter than the longest window a rule may use
            "NGAO_RISK_HISTORY_RETENTION_DAYS=30"       // shorter than the longest average a rule may ask for
    })
    void shouldRefuseABadEngineSettingNamingItsVariable(String assignment) {
        String variable = assignment.substring(0, assignment.indexOf('='));
        assertThatThrownBy(() -> load(Map.of(variable,
                assignment.substring(assignment.indexOf('=') + 1))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(variable);
    }

    @Test
    void shouldRefuseABlankRuleSetVersion() {
        assertThatThrownBy(() -> load(Map.of("NGAO_RISK_RULE_SET_VERSION", " ")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(RiskConfig.RULE_SET_VERSION);
    }

    @Test
    void shouldParseEntriesWithSpacesInTheirOrder() {
        assertThat(LimitEntries.parse("some.key", List.of(" UGX : 5000 ", "XOF:10")))
                .containsExactly(Map.entry("UGX", 5_000L), Map.entry("XOF", 10L));
    }

    @Test
    void shouldExplainWhyAnEntryIsRefused() {
        assertThatThrownBy(() -> LimitEntries.parse("some.key", List.of("KES:0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("some.key")
                .hasMessageContaining("KES:0")
                .hasMessageContaining("must be positive");
    }

    private static Map<String, Long> limits(RiskConfig config, String ruleId) {
        Rule rule = config.defaultRuleSet().rules().stream().filter(r -> r.id().equals(ruleId)).findFirst().orElseThrow();
        return ((LimitRule) rule).parameters().limits();
    }

    /** Loads {@code environment} plus the keys' master key every configuration needs. */
    private static RiskConfig load(Map<String, String> environment) {
        Map<String, String> withMasterKey = new java.util.HashMap<>(environment);
        withMasterKey.putIfAbsent("NGAO_RISK_KEYS_MASTER_KEY", TestKeys.MASTER_KEY_TEXT);
        return RiskConfig.fromEnvironment(withMasterKey);
    }

    @Test
    void shouldRefuseNamingTheVariableWhenTheKeysMasterKeyIsMissing() {
        // The API verifies signed requests against the API keys, whose secrets only the master key opens.
        assertThatThrownBy(() -> RiskConfig.fromEnvironment(Map.of()))
                .isInstanceOf(dev.ngao.platform.config.InvalidConfigurationException.class)
                .hasMessageContaining("NGAO_RISK_KEYS_MASTER_KEY");
    }
}
