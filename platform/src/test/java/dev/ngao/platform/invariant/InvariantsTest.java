package dev.ngao.platform.invariant;

import org.junit.jupiter.api.Test;

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
}
