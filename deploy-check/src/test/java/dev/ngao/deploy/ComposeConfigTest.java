package dev.ngao.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml as compose itself validates it ({@code config -q}: schema, interpolation, references).
 * Needs docker-compose (or the docker compose plugin) on the PATH, not a Docker engine; skipped without one.
 */
class ComposeConfigTest {

    private static final long TIMEOUT_SECONDS = 120;
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?");

    private static Optional<List<String>> compose = Optional.empty();

    record Result(int exitCode, String output) {
    }

    @BeforeAll
    static void findCompose() throws InterruptedException {
        for (List<String> candidate : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
            List<String> version = new ArrayList<>(candidate);
            version.add("version");
            try {
                if (run(version, Map.of(), List.of()).exitCode() == 0) {
                    compose = Optional.of(candidate);
                    return;
                }
            } catch (IOException notInstalled) {
                // try the next one
            }
        }
    }

    @Test
    void shouldRenderTheComposeFileWhenItsSecretsAreSet(@TempDir Path directory) throws Exception {
        assumeTrue(compose.isPresent(), "neither docker-compose nor the docker compose plugin is installed: "
                + "compose's own validation of docker-compose.yml skipped");
        // Given every secret the compose file requires (placeholders: config only interpolates them)
        Map<String, String> secrets = new TreeMap<>();
        requiredVariables().forEach(variable -> secrets.put(variable, "placeholder-" + variable.toLowerCase()));

        // When compose validates the file
        Result result = config(directory, secrets);

        // Then it is valid
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void shouldRefuseToRenderWithoutTheSecrets(@TempDir Path directory) throws Exception {
        assumeTrue(compose.isPresent(), "neither docker-compose nor the docker compose plugin is installed: "
                + "compose's own validation of docker-compose.yml skipped");

        Result result = config(directory, Map.of());

        // A stack without its secrets does not start with empty ones; the message says how to make them.
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("deploy/docker/compose-env.sh");
    }

    /** {@code config -q} on the repository's compose file, with an empty env file so no local .env applies. */
    private static Result config(Path directory, Map<String, String> variables) throws Exception {
        Path emptyEnvFile = Files.writeString(directory.resolve("empty.env"), "");
        List<String> command = new ArrayList<>(compose.orElseThrow());
        command.addAll(List.of("--env-file", emptyEnvFile.toString(), "--project-directory", DeployFiles.ROOT.toString(),
                "-f", DeployFiles.COMPOSE_FILE.toString(), "config", "-q"));
        return run(command, variables, requiredVariables());
    }

    private static List<String> requiredVariables() {
        List<String> variables = new ArrayList<>();
        Matcher matcher = REQUIRED_VARIABLE.matcher(DeployFiles.read(DeployFiles.COMPOSE_FILE));
        while (matcher.find()) {
            if (!variables.contains(matcher.group(1))) {
                variables.add(matcher.group(1));
            }
        }
        return variables;
    }

    private static Result run(List<String> command, Map<String, String> set, List<String> unset)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(DeployFiles.ROOT.toFile()).redirectErrorStream(true);
        unset.forEach(builder.environment()::remove);
        builder.environment().putAll(set);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.exitValue(), output);
    }
}
