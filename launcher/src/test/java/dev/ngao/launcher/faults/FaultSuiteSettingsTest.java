package dev.ngao.launcher.faults;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The suite reads every run's settings before the first run starts, so a mistake never costs a run. */
class FaultSuiteSettingsTest {

    private static final Path DIRECTORY = Path.of("faults");

    @Test
    void shouldPlanEveryRunInOrderWhenTheSettingsAreGood() {
        List<FaultRun.Settings> planned = FaultSuite.settings(Map.of("NGAO_FAULTS_RUNS", "cluster, kills",
                "NGAO_FAULTS_KILLS", "3", "NGAO_FAULTS_RATE", "5"), 42, DIRECTORY);

        assertThat(planned).extracting(FaultRun.Settings::kind)
                .containsExactly(FaultRun.Kind.CLUSTER_NODE_KILLS, FaultRun.Kind.PROCESS_KILLS);
        assertThat(planned.get(1).faults()).isEqualTo(3);
        assertThat(planned.get(1).ratePerSecond()).isEqualTo(5.0);
        assertThat(planned.get(1).directory()).isEqualTo(DIRECTORY.resolve("kills"));
    }

    @Test
    void shouldRefuseTheWholePlanWhenALaterRunOrSettingIsWrong() {
        assertThatThrownBy(() -> FaultSuite.settings(Map.of("NGAO_FAULTS_RUNS", "kills,floods"), 42, DIRECTORY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown run 'floods'");
        assertThatThrownBy(() -> FaultSuite.settings(Map.of("NGAO_FAULTS_RUNS", "kills", "NGAO_FAULTS_RATE", "fast"),
                42, DIRECTORY)).hasMessageContaining("NGAO_FAULTS_RATE");
        assertThatThrownBy(() -> FaultSuite.settings(Map.of("NGAO_FAULTS_RUNS", "broker",
                "NGAO_FAULTS_BROKER_RESTARTS", "many"), 42, DIRECTORY)).hasMessageContaining("NGAO_FAULTS_BROKER_RESTARTS");
    }
}
