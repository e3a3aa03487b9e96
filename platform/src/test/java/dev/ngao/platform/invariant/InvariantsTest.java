package dev.ngao.platform.invariant;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InvariantsTest {

    @Test
    void shouldThrowAnErrorNotAnExceptionWhenBroken() {
        assertThatThrownBy(() -> Invariants.check(false, "entry je:1 does not balance"))
                .isInstanceOf(InvariantViolation.class)
                .isInstanceOf(Error.class)
                .hasMessage("entry je:1 does not balance");
    }

    @Test
    void shouldPassWhenHeld() {
        assertThatCode(() -> Invariants.check(true, "never")).doesNotThrowAnyException();
    }

    @Test
    void shouldRunTheHaltActionWhenHalting() {
        AtomicBoolean halted = new AtomicBoolean();
        Runnable previous = Invariants.onHalt(() -> halted.set(true));
        try {
            Invariants.halt(new InvariantViolation("broken"));
        } finally {
            Invariants.onHalt(previous);
        }
        assertThat(halted).isTrue();
    }

    /** The default action, not a test hook: a real JVM that breaks an invariant stops with status 70. */
    @Test
    void shouldStopTheProcessWithStatus70ByDefault() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HaltingProcess.class.getName()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(Invariants.EXIT_STATUS).isEqualTo(70);
        assertThat(output).contains("Invariant broken, stopping the process");
    }
}
