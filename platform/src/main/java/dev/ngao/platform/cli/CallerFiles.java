package dev.ngao.platform.cli;

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
 * error, told in one line naming the file (never its content). Every command-line tool of Ngao takes its
 * file arguments through this class.
 */
public final class CallerFiles {

    public static final String CALLER_DIR = "NGAO_CALLER_DIR";

    private final Path base;

    private CallerFiles(Path base) {
        this.base = base;
    }

    /** Relative names resolve against {@value #CALLER_DIR} when set, else against this process's directory. */
    public static CallerFiles of(Map<String, String> environment) {
        String caller = environment.get(CALLER_DIR);
        return new CallerFiles(caller == null || caller.isBlank() ? Path.of("") : Path.of(caller));
    }

    /** The absolute path {@code name} means to the caller; an absolute name stays as it is. */
    public Path path(String name) {
        return base.resolve(name).toAbsolutePath().normalize();
    }

    /**
     * The absolute path of a file the caller named, checked to be a readable regular file.
     *
     * @throws IllegalArgumentException naming the file and why it cannot be read
     */
    public Path readableFile(String name) {
        Path path = path(name);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such file: " + path);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("not a file: " + path);
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("cannot read " + path + ": permission denied");
        }
        return path;
    }

    /**
     * The absolute path of a directory the caller named, checked to exist.
     *
     * @throws IllegalArgumentException naming the directory when it is not one
     */
    public Path existingDirectory(String name) {
        Path path = path(name);
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException((Files.exists(path) ? "not a directory: " : "no such directory: ") + path);
        }
        return path;
    }

    /** @throws IllegalArgumentException naming the file and why it cannot be read */
    public byte[] bytes(String name) {
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

    public String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }
}
