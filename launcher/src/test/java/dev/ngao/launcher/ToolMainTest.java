package dev.ngao.launcher;

import dev.ngao.platform.cli.ExitStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolMainTest {

    @Test
    void shouldReadNumbersNamingTheVariableWhenOneIsWrong() {
        Map<String, String> environment = Map.of("NGAO_X_SECONDS", "30", "NGAO_X_RATES", "200, 1000.5",
                "NGAO_BAD", "soon", "NGAO_ZERO", "0");

        assertThat(ToolMain.wholeNumber(environment, "NGAO_X_SECONDS", 5, 1, 60)).isEqualTo(30);
        assertThat(ToolMain.wholeNumber(environment, "NGAO_UNSET", 5, 1, 60)).isEqualTo(5);
        assertThat(ToolMain.positiveNumbers(environment, "NGAO_X_RATES", "1")).containsExactly(200.0, 1000.5);
        assertThat(ToolMain.positiveNumber(environment, "NGAO_UNSET", 50)).isEqualTo(50);
        assertThatThrownBy(() -> ToolMain.wholeNumber(environment, "NGAO_BAD", 5, 1, 60))
                .hasMessage("NGAO_BAD must be a whole number, not 'soon'");
        assertThatThrownBy(() -> ToolMain.wholeNumber(environment, "NGAO_ZERO", 5, 1, 60))
                .hasMessage("NGAO_ZERO must be from 1 to 60, not 0");
        assertThatThrownBy(() -> ToolMain.positiveNumbers(environment, "NGAO_ZERO", "1"))
                .hasMessage("NGAO_ZERO must be positive numbers separated by commas, not '0'");
        assertThatThrownBy(() -> ToolMain.positiveNumber(environment, "NGAO_X_RATES", 1))
                .hasMessageContaining("must be one positive number");
    }

    @Test
    void shouldRefuseArgumentsAndBadSettingsWithoutRunningWhenGivenThem() throws Exception {
        List<String> ran = new ArrayList<>();

        int withArgument = ToolMain.refusal("bench-e2e", List.of("--fast"), environment -> ran.add("run"), Map.of());
        int badSetting = ToolMain.refusal("bench-e2e", List.of(), environment -> {
            ToolMain.wholeNumber(environment, "NGAO_BENCH_E2E_SECONDS", 30, 1, 60);
            ran.add("run");
        }, Map.of("NGAO_BENCH_E2E_SECONDS", "x"));
        int fine = ToolMain.refusal("bench-e2e", List.of(), environment -> ran.add("run"), Map.of());

        assertThat(withArgument).isEqualTo(ExitStatus.USAGE);
        assertThat(badSetting).isEqualTo(ExitStatus.CONFIG);
        assertThat(fine).isZero();
        assertThat(ran).containsExactly("run");
    }
}
