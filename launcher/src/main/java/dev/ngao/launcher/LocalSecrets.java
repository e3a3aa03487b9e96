package dev.ngao.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Secrets the embedded mode makes for itself on first run (the PII pepper, the demo API key), kept in
 * owner-only files under the data directory so a restart counts the same wallets under the same keys.
 * Production deployments pass their own through the environment instead.
 */
final class LocalSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;

    LocalSecrets(Path dataDirectory) {
        this.directory = dataDirectory.resolve("secrets");
    }

    /** The secret stored under {@code name}, if one was made; never makes one. */
    Optional<String> find(String name) {
        Path file = directory.resolve(name);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII).trim())
                    : Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read secret " + name + " under " + directory, e);
        }
    }

    /** Where the secret {@code name} is kept. */
    Path file(String name) {
        return directory.resolve(name);
    }

    /** The secret stored under {@code name}, made of {@code bytes} random bytes the first time. */
    String getOrCreate(String name, int bytes) {
        Path file = directory.resolve(name);
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).trim();
            }
            Files.createDirectories(directory);
            byte[] secret = new byte[bytes];
            RANDOM.nextBytes(secret);
            String text = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            Files.writeString(file, text, StandardCharsets.US_ASCII);
            restrictToOwner(file);
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot keep secret " + name + " under " + directory, e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's own protection applies.
        }
    }
}
