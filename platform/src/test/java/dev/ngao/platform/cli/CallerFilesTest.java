package dev.ngao.platform.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerFilesTest {

    @TempDir
    Path caller;

    @Test
    void shouldResolveARelativeNameAgainstTheCallersDirectoryWhenTheScriptPassesIt() throws Exception {
        // Given a file in the caller's directory, which is not this process's
        Files.writeString(caller.resolve("rules.yaml"), "x");
        CallerFiles files = CallerFiles.of(Map.of(CallerFiles.CALLER_DIR, caller.toString()));

        // Then a relative name means that file, and an absolute one stays what it is
        assertThat(files.readableFile("rules.yaml")).isEqualTo(caller.resolve("rules.yaml").toAbsolutePath());
        assertThat(files.text("rules.yaml")).isEqualTo("x");
        assertThat(files.path("/etc/hosts")).isEqualTo(Path.of("/etc/hosts"));
    }

    @Test
    void shouldResolveAgainstThisProcessesDirectoryWhenNoCallerIsGiven() {
        assertThat(CallerFiles.of(Map.of()).path("a.json")).isEqualTo(Path.of("a.json").toAbsolutePath());
    }

    @Test
    void shouldNameTheMissingFileWithItsAbsolutePathWhenItCannotBeRead() throws Exception {
        CallerFiles files = CallerFiles.of(Map.of(CallerFiles.CALLER_DIR, caller.toString()));
        Files.createDirectory(caller.resolve("folder"));

        assertThatThrownBy(() -> files.readableFile("missing.csv")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no such file: " + caller.resolve("missing.csv"));
        assertThatThrownBy(() -> files.bytes("missing.csv")).hasMessage("no such file: " + caller.resolve("missing.csv"));
        assertThatThrownBy(() -> files.readableFile("folder")).hasMessage("not a file: " + caller.resolve("folder"));
        assertThatThrownBy(() -> files.existingDirectory("nowhere"))
                .hasMessage("no such directory: " + caller.resolve("nowhere"));
        assertThat(files.existingDirectory("folder")).isEqualTo(caller.resolve("folder"));
    }
}
