package dev.ngao.deploy;

import dev.ngao.ingest.ops.OperationsRoutes;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The images docker-compose.yml builds, and the Dockerfile, entrypoint and health check behind them. */
class DockerImagesTest {

    private static final Set<String> ROOT_USERS = Set.of("root", "0", "0:0", "root:root");
    /** The Dockerfile's check of its build arg: {@code case "${SERVICE}" in ingest|risk|...) ;;}. */
    private static final Pattern DOCKERFILE_SERVICE_CASE = Pattern.compile("case \"\\$\\{SERVICE}\" in ([a-z|]+)\\)");
    /** The case labels of a shell case statement, e.g. {@code   ledger)}. */
    private static final Pattern CASE_LABEL = Pattern.compile("(?m)^\\s*([a-z|]+)\\)");

    private final ComposeFile compose = ComposeFile.load();

    @Test
    void shouldBuildEveryServiceImageFromADockerfileUnderDeploy() {
        for (NgaoService service : NgaoService.values()) {
            Map<String, Object> build = Yaml2.map(compose.service(service.deployName).get("build"),
                    service.deployName + " build");
            Path context = DeployFiles.ROOT.resolve(String.valueOf(build.get("context"))).normalize();
            Path dockerfile = context.resolve(String.valueOf(build.get("dockerfile"))).normalize();

            assertThat(dockerfile).as(service.deployName).startsWith(DeployFiles.DEPLOY).isRegularFile();
            // The build stage runs the reactor build: the context is the repository root.
            assertThat(context).as(service.deployName).isEqualTo(DeployFiles.ROOT);
            assertThat(Yaml2.text(Yaml2.at(build, "args/SERVICE"))).as(service.deployName).isEqualTo(service.imageArgument);
            assertThat(Yaml2.text(compose.service(service.deployName).get("image"))).as(service.deployName)
                    .startsWith("ngao/" + service.deployName + ":");
        }
    }

    @Test
    void shouldBuildWithMavenThenRunOnAJreAsANonRootUserWithAHealthCheck() {
        assertThat(composeDockerfiles()).isNotEmpty();
        for (Path dockerfilePath : composeDockerfiles()) {
            Dockerfile dockerfile = Dockerfile.parse(dockerfilePath);
            assertThat(dockerfile.stages()).as("%s is multi-stage", dockerfilePath).hasSizeGreaterThanOrEqualTo(2);

            Dockerfile.Stage build = dockerfile.stages().get(0);
            assertThat(build.image()).isEqualTo("maven:3.9-eclipse-temurin-17");
            assertThat(build.all("RUN")).anySatisfy(run -> assertThat(run.arguments()).contains("mvn ").contains("package"));

            Dockerfile.Stage runtime = dockerfile.finalStage();
            assertThat(runtime.image()).isEqualTo("eclipse-temurin:17-jre");
            assertThat(runtime.all("COPY")).anySatisfy(copy -> assertThat(copy.arguments()).contains("--from=" + build.name()));

            List<Dockerfile.Instruction> users = runtime.all("USER");
            assertThat(users).as("USER of the runtime stage").isNotEmpty();
            String user = users.get(users.size() - 1).arguments().strip();
            assertThat(ROOT_USERS).as("the runtime user").doesNotContain(user);
            assertThat(user).doesNotStartWith("0:").doesNotStartWith("root:");

            List<Dockerfile.Instruction> healthChecks = runtime.all("HEALTHCHECK");
            assertThat(healthChecks).hasSize(1);
            assertThat(healthChecks.get(0).arguments()).contains("CMD").contains("/opt/ngao/bin/healthcheck.sh")
                    .doesNotContain("NONE");
            assertThat(runtime.all("COPY")).anySatisfy(copy -> assertThat(copy.arguments()).contains("deploy/docker/healthcheck.sh"));
        }
    }

    @Test
    void shouldStartAndHealthCheckEverySelectableService() {
        Set<String> selectable = new TreeSet<>();
        for (NgaoService service : NgaoService.values()) {
            selectable.add(service.imageArgument);
        }
        // The runtime stage refuses to build for a SERVICE it does not list.
        Matcher buildable = DOCKERFILE_SERVICE_CASE.matcher(DeployFiles.read(DeployFiles.DOCKERFILE));
        assertThat(buildable.find()).as("the Dockerfile's case on SERVICE").isTrue();
        assertThat(List.of(buildable.group(1).split("\\|"))).as("services the Dockerfile builds").containsAll(selectable);
        assertThat(caseLabels(DeployFiles.ENTRYPOINT)).containsAll(selectable);
        assertThat(caseLabels(DeployFiles.HEALTHCHECK)).containsAll(selectable);
        assertThat(DeployFiles.ENTRYPOINT).isExecutable();
        assertThat(DeployFiles.HEALTHCHECK).isExecutable();
    }

    @Test
    void shouldHealthCheckTheEndpointsTheServicesServeOnTheirConfiguredPorts() {
        String healthCheck = DeployFiles.read(DeployFiles.HEALTHCHECK);
        assertThat(healthCheck).contains("${NGAO_INGEST_HTTP_PORT:-" + NgaoService.INGEST.defaultHttpPort().orElseThrow()
                + "}" + OperationsRoutes.READY_PATH);
        assertThat(healthCheck).contains("${NGAO_LEDGER_HTTP_PORT:-" + NgaoService.LEDGER.defaultHttpPort().orElseThrow()
                + "}/health");
        assertThat(healthCheck).contains("${NGAO_RECONCILER_HTTP_PORT:-"
                + NgaoService.RECONCILER.defaultHttpPort().orElseThrow() + "}/health");
        assertThat(healthCheck).contains("${NGAO_NOTIFIER_HTTP_PORT:-"
                + NgaoService.NOTIFIER.defaultHttpPort().orElseThrow() + "}/health");
        assertThat(healthCheck).contains("${NGAO_CONSOLE_HTTP_PORT:-"
                + NgaoService.CONSOLE.defaultHttpPort().orElseThrow() + "}/health");
        assertThat(healthCheck).contains("${NGAO_RISK_HTTP_PORT:-" + NgaoService.RISK.defaultHttpPort().orElseThrow()
                + "}/health");
        assertThat(healthCheck).contains("${NGAO_SANDBOX_HTTP_PORT:-" + NgaoService.SANDBOX.defaultHttpPort().orElseThrow()
                + "}/mobile-money-hub/health");
        // Every NGAO_* variable the scripts read is one the services read too.
        Set<String> known = new TreeSet<>();
        for (NgaoService service : NgaoService.values()) {
            known.addAll(service.variables());
        }
        Matcher variables = Pattern.compile("NGAO_[A-Z0-9_]+").matcher(healthCheck + DeployFiles.read(DeployFiles.ENTRYPOINT));
        while (variables.find()) {
            assertThat(known).as("variables of the health check and entrypoint").contains(variables.group());
        }
    }

    @Test
    void shouldExposeEveryServicesDefaultHttpPort() {
        List<Dockerfile.Instruction> exposes = Dockerfile.parse(DeployFiles.DOCKERFILE).finalStage().all("EXPOSE");
        Set<String> exposed = new TreeSet<>();
        exposes.forEach(expose -> exposed.addAll(List.of(expose.arguments().strip().split("\\s+"))));
        for (NgaoService service : NgaoService.values()) {
            service.defaultHttpPort().ifPresent(port -> assertThat(exposed).as("EXPOSE of %s", service.deployName)
                    .contains(String.valueOf(port)));
        }
    }

    @Test
    void shouldKeepBuildOutputGitAndSecretsOutOfTheBuildContext() {
        assertThat(DeployFiles.DOCKERIGNORE).isRegularFile();
        List<String> ignored = DeployFiles.read(DeployFiles.DOCKERIGNORE).lines().map(String::strip).toList();
        assertThat(ignored).contains(".git", "**/target/", ".env", "data/");
        // The build needs every module of the root pom (Maven reads them all), this one included.
        assertThat(ignored).doesNotContain("deploy-check", "deploy-check/", "deploy/docker", "deploy/docker/");
    }

    @Test
    void shouldDeployInKubernetesTheImagesComposeBuilds() {
        KubernetesManifests manifests = KubernetesManifests.load();
        for (NgaoService service : NgaoService.values()) {
            String composeImage = Yaml2.text(compose.service(service.deployName).get("image"));
            String kubernetesImage = Yaml2.text(KubernetesManifests.container(manifests.workload(service)).get("image"));
            assertThat(repository(kubernetesImage)).as(service.deployName).isEqualTo(repository(composeImage));
        }
    }

    private List<Path> composeDockerfiles() {
        return NgaoService.deployNames().stream()
                .map(name -> Yaml2.map(compose.service(name).get("build"), name + " build"))
                .map(build -> DeployFiles.ROOT.resolve(String.valueOf(build.get("context")))
                        .resolve(String.valueOf(build.get("dockerfile"))).normalize())
                .distinct().filter(Files::isRegularFile).toList();
    }

    private static Set<String> caseLabels(Path script) {
        Set<String> labels = new TreeSet<>();
        Matcher matcher = CASE_LABEL.matcher(DeployFiles.read(script));
        while (matcher.find()) {
            labels.addAll(List.of(matcher.group(1).split("\\|")));
        }
        return labels;
    }

    /** The image without its tag (which compose interpolates, ${IMAGE_TAG:-dev}). */
    private static String repository(String image) {
        int colon = image.indexOf(':', image.lastIndexOf('/') + 1);
        return colon < 0 ? image : image.substring(0, colon);
    }
}
