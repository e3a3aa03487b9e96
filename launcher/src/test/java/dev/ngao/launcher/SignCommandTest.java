package dev.ngao.launcher;

import dev.ngao.platform.auth.RequestSigning;
import dev.ngao.platform.cli.CallerFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignCommandTest {

    private static final String SECRET = "nsk_demo-secret-0123456789abcdefghij";

    @TempDir
    Path directory;

    @Test
    void shouldPrintFourHeadersThatVerifyOverTheBodyFileBytes() throws Exception {
        // Given a secret file (with a trailing newline, as editors leave) and a body file
        Path secretFile = Files.writeString(directory.resolve("secret"), SECRET + "\n");
        Path bodyFile = Files.writeString(directory.resolve("payment.json"), "{\"amount\":\"1.00\"}\n");

        // When the request is signed
        Map<String, String> headers = headers(sign(List.of("--key-id", "demo", "--secret-file", secretFile.toString(),
                "POST", "/v1/payments", bodyFile.toString())));

        // Then the four headers are printed and verify against the exact bytes of the body file
        assertThat(headers).containsOnlyKeys(RequestSigning.KEY_ID_HEADER, RequestSigning.TIMESTAMP_HEADER,
                RequestSigning.NONCE_HEADER, RequestSigning.SIGNATURE_HEADER);
        assertThat(headers.get(RequestSigning.KEY_ID_HEADER)).isEqualTo("demo");
        String canonical = RequestSigning.canonicalString("POST", "/v1/payments", headers.get(RequestSigning.TIMESTAMP_HEADER),
                headers.get(RequestSigning.NONCE_HEADER), RequestSigning.bodySha256Hex(Files.readAllBytes(bodyFile)));
        assertThat(RequestSigning.matchesAny(SECRET.getBytes(StandardCharsets.UTF_8), canonical,
                RequestSigning.presentedSignatures(headers.get(RequestSigning.SIGNATURE_HEADER)))).isTrue();
    }

    @Test
    void shouldSignEmptyBodyWhenNoBodyFileIsGiven() throws Exception {
        Path secretFile = Files.writeString(directory.resolve("secret"), SECRET);

        Map<String, String> headers = headers(sign(List.of("--key-id", "demo", "--secret-file", secretFile.toString(),
                "GET", "/v1/payments/txn_1")));

        String canonical = RequestSigning.canonicalString("GET", "/v1/payments/txn_1",
                headers.get(RequestSigning.TIMESTAMP_HEADER), headers.get(RequestSigning.NONCE_HEADER),
                RequestSigning.bodySha256Hex(null));
        assertThat(RequestSigning.matchesAny(SECRET.getBytes(StandardCharsets.UTF_8), canonical,
                RequestSigning.presentedSignatures(headers.get(RequestSigning.SIGNATURE_HEADER)))).isTrue();
    }

    @Test
    void shouldRefuseIncompleteArgumentsWithUsageAndNoSecret() throws Exception {
        Path secretFile = Files.writeString(directory.resolve("secret"), SECRET);

        assertThatThrownBy(() -> sign(List.of("--secret-file", secretFile.toString(), "GET", "/v1/payments")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage")
                .satisfies(error -> assertThat(error.getMessage()).doesNotContain(SECRET));
        assertThatThrownBy(() -> sign(List.of("--key-id", "demo", "--secret-file", secretFile.toString(), "GET",
                "v1/payments"))).hasMessageContaining("usage");
        assertThatThrownBy(() -> sign(List.of("--key-id"))).hasMessageContaining("--key-id");
    }

    @Test
    void shouldReadRelativeFilesFromTheCallersDirectory() throws Exception {
        // Given the caller stands in a directory holding its secret and body files (the script runs elsewhere)
        Files.writeString(directory.resolve("secret"), SECRET);
        Files.writeString(directory.resolve("payment.json"), "{}");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        // When it names them relatively
        SignCommand.run(List.of("--key-id", "demo", "--secret-file", "secret", "POST", "/v1/payments",
                "payment.json"), CallerFiles.of(Map.of(CallerFiles.CALLER_DIR, directory.toString())),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        // Then they are found there
        assertThat(headers(bytes.toString(StandardCharsets.UTF_8))).containsKey(RequestSigning.SIGNATURE_HEADER);
    }

    @Test
    void shouldTellAMissingFileInOneLineNamingIt() {
        assertThatThrownBy(() -> SignCommand.run(List.of("--key-id", "demo", "--secret-file", "nowhere", "GET",
                        "/v1/payments"), CallerFiles.of(Map.of(CallerFiles.CALLER_DIR, directory.toString())),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no such file: " + directory.resolve("nowhere").toAbsolutePath());
    }

    private static String sign(List<String> arguments) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SignCommand.run(arguments, CallerFiles.of(Map.of()), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, String> headers(String output) {
        Map<String, String> headers = new LinkedHashMap<>();
        output.lines().forEach(line -> headers.put(line.substring(0, line.indexOf(':')),
                line.substring(line.indexOf(':') + 1).trim()));
        return headers;
    }
}
