package dev.ngao.reconciler.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Who started a report run, how, and on which file: what its audit record names.
 *
 * @param actor  the API key id of an upload's caller, or {@code reconciler} for a run the service started itself
 * @param source {@value #UPLOAD}, {@value #SCHEDULE} or {@value #FILE}
 * @param fileId the SHA-256 (hex) of the report's bytes, or {@value #NO_FILE} when none was taken (the benchmark)
 */
public record RunOrigin(String actor, String source, String fileId) {

    /** A signed upload to the report API. */
    public static final String UPLOAD = "upload";
    /** The daily run, from the inbox. */
    public static final String SCHEDULE = "schedule";
    /** A file reconciled inside the process ({@code ReconcilerService.reconcileFile}). */
    public static final String FILE = "file";
    /** No hash of the report was taken (the benchmark, which measures the run alone). */
    public static final String NO_FILE = "none";

    private static final String SERVICE_ACTOR = "reconciler";

    public RunOrigin {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(fileId, "fileId");
    }

    /** An upload by the key {@code keyId}, of a body whose SHA-256 is {@code bodySha256}. */
    public static RunOrigin upload(String keyId, String bodySha256) {
        return new RunOrigin(keyId, UPLOAD, bodySha256);
    }

    /** A run the service starts on its own ({@value #SCHEDULE} or {@value #FILE}) of {@code report}. */
    public static RunOrigin service(String source, Path report) throws IOException {
        return new RunOrigin(SERVICE_ACTOR, source, sha256(report));
    }

    /** The hex SHA-256 of a file's bytes, read once, streaming. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
