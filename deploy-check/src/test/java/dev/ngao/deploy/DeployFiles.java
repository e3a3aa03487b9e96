package dev.ngao.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The deployment files of the repository, read as they are committed. */
final class DeployFiles {

    /** The repository root: Surefire runs in this module's directory. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path COMPOSE_FILE = ROOT.resolve("docker-compose.yml");
    static final Path DEPLOY = ROOT.resolve("deploy");
    static final Path KUBERNETES = DEPLOY.resolve("k8s");
    static final Path DOCKERFILE = DEPLOY.resolve("docker/Dockerfile");
    static final Path ENTRYPOINT = DEPLOY.resolve("docker/entrypoint.sh");
    static final Path HEALTHCHECK = DEPLOY.resolve("docker/healthcheck.sh");
    static final Path COMPOSE_ENV_SCRIPT = DEPLOY.resolve("docker/compose-env.sh");
    static final Path CREATE_SECRETS_SCRIPT = KUBERNETES.resolve("create-secrets.sh");
    static final Path DOCKERIGNORE = ROOT.resolve(".dockerignore");

    private DeployFiles() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document of the file; a file that is not valid YAML fails here. */
    static List<Map<String, Object>> yamlDocuments(Path file) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : yaml.loadAll(read(file))) {
            if (document != null) {
                documents.add(Yaml2.map(document, file + " document"));
            }
        }
        return documents;
    }

    /** Every *.yaml file under deploy/k8s. */
    static List<Path> kubernetesFiles() {
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
