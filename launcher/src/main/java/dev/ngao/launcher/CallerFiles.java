package dev.ngao.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Files named on the command line, read as the caller means them: the {@code ngao} script changes to the
 * project's directory to build and run, so it passes the caller's working directory in
 * {@value #CALLER_DIR}, and a relative name is resolved against it. A file that cannot be read is a user
 * error, told in one line naming the file (never its content).
 */
final class CallerFiles {

    static final String CALLER_DIR = "NGAO_CALLER_DIR";

    private final Path base;

    private CallerFiles(Path base) {
        this.base = base;
    }

    /** Relative names resolve against {@value #CALLER_DIR} when set, else against this process's directory. */
    static CallerFiles of(Map<String, String> environment) {
        String caller = environment.get(CALLER_DIR);
        return new CallerFiles(caller == null || caller.isBlank() ? Path.of("") : Path.of(caller));
    }

    Path path(String name) {
        return base.resolve(name).toAbsolutePath().normalize();
    }

    /** @throws IllegalArgumentException naming the file and why it cannot be read */
    byte[] bytes(String name) {
        Path path = path(name);
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + path);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read " + path + ": permission denied");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + path + ": " + e.getClass().getSimpleName());
        }
    }

    String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }
}
