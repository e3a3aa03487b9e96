package dev.ngao.deploy;

import dev.ngao.console.ConsoleConfig;
import dev.ngao.ingest.ops.OperationsRoutes;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The Kubernetes workloads: probes on the health endpoints, resources, users, and the services in front. */
class WorkloadsTest {

    private static final String HEALTH_PATH = "/health";

    private final KubernetesManifests manifests = KubernetesManifests.load();

    @Test
    void shouldProbeTheHealthEndpointsOnTheConfiguredPorts() {
        assertHttpProbe(NgaoService.INGEST, "readinessProbe", OperationsRoutes.READY_PATH);
        assertHttpProbe(NgaoService.INGEST, "livenessProbe", OperationsRoutes.LIVE_PATH);
        assertHttpProbe(NgaoService.LEDGER, "readinessProbe", HEALTH_PATH);
        assertHttpProbe(NgaoService.LEDGER, "livenessProbe", HEALTH_PATH);
        assertHttpProbe(NgaoService.RECONCILER, "readinessProbe", HEALTH_PATH);
        assertHttpProbe(NgaoService.RECONCILER, "livenessProbe", HEALTH_PATH);
        assertHttpProbe(NgaoService.NOTIFIER, "readinessProbe", HEALTH_PATH);
        assertHttpProbe(NgaoService.NOTIFIER, "livenessProbe", HEALTH_PATH);
        assertHttpProbe(NgaoService.CONSOLE, "startupProbe", HEALTH_PATH);
        assertHttpProbe(NgaoService.CONSOLE, "readinessProbe", HEALTH_PATH + "/ready");
        assertHttpProbe(NgaoService.CONSOLE, "livenessProbe", HEALTH_PATH);
        assertHttpProbe(NgaoService.RISK, "startupProbe", HEALTH_PATH);
        assertHttpProbe(NgaoService.RISK, "readinessProbe", HEALTH_PATH);
        assertHttpProbe(NgaoService.RISK, "livenessProbe", HEALTH_PATH);
        // Credentials on the sandbox's health route: the image's health check, which reads them from the environment.
        Map<String, Object> sandbox = KubernetesManifests.container(manifests.workload(NgaoService.SANDBOX));
        assertThat(Yaml2.listAt(sandbox, "readinessProbe/exec/command")).containsExactly("/opt/ngao/bin/healthcheck.sh");
    }

    @Test
    void shouldAdvertiseEachRiskInstancesOwnAddressForForwardedQueries() {
        // A query for a key another instance owns is forwarded to the host that instance advertises: its pod IP,
        // never the interface it binds (0.0.0.0) nor one name for all pods.
        Object advertised = manifests.environment(manifests.workload(NgaoService.RISK))
                .get("NGAO_RISK_HTTP_ADVERTISED_HOST");
        assertThat(advertised).isEqualTo(new KubernetesManifests.FieldReference("status.podIP"));
    }

    @Test
    void shouldServeTheConsoleOnItsConfiguredPortBehindItsService() {
        Map<String, Object> console = manifests.workload(NgaoService.CONSOLE);
        String configured = configuredPort(NgaoService.CONSOLE, console);
        List<Object> ports = Yaml2.listAt(manifests.serviceInFrontOf(NgaoService.CONSOLE), "spec/ports");

        assertThat(ports).as("ports of the console's Service").hasSize(1);
        Map<String, Object> port = Yaml2.map(ports.get(0), "port");
        assertThat(Yaml2.text(port.get("port"))).as("port of the console's Service").isEqualTo(configured);
        Object target = port.get("targetPort") != null ? port.get("targetPort") : port.get("port");
        assertThat(KubernetesManifests.containerPort(KubernetesManifests.container(console), target))
                .as("container port behind the console's Service").isEqualTo(configured);
    }

    @Test
    void shouldKeepEachAnalystOnTheConsoleInstanceHoldingTheirSession() {
        // Sessions live in the memory of the instance that signed the analyst in: one instance, or sticky clients.
        Map<String, Object> console = manifests.workload(NgaoService.CONSOLE);
        int replicas = Integer.parseInt(Yaml2.text(Yaml2.at(console, "spec/replicas")));
        assertThat(replicas).isPositive();
        Map<String, Object> service = manifests.serviceInFrontOf(NgaoService.CONSOLE);
        Object affinity = Yaml2.at(service, "spec/sessionAffinity");
        if (replicas > 1) {
            assertThat(affinity).as("sessionAffinity of the console's Service with %s replicas", replicas)
                    .isEqualTo("ClientIP");
        }
        if ("ClientIP".equals(affinity)) {
            // Kubernetes' default affinity timeout is 3 hours; a shorter one must outlast an idle session.
            Object timeout = Yaml2.at(service, "spec/sessionAffinityConfig/clientIP/timeoutSeconds");
            long seconds = timeout == null ? 10_800 : Long.parseLong(Yaml2.text(timeout));
            Object idle = manifests.environment(console).get("NGAO_CONSOLE_SESSION_IDLE_MINUTES");
            long idleMinutes = idle != null ? Long.parseLong(String.valueOf(idle))
                    : ((Number) NgaoService.CONSOLE.definition.configKeys()
                            .get(ConsoleConfig.SESSION_IDLE_MINUTES).defaultValue).longValue();
            assertThat(seconds).as("affinity timeout of the console's Service").isGreaterThanOrEqualTo(idleMinutes * 60);
        }
    }

    @Test
    void shouldApplyEveryManifestAndSetTheTagOfEveryServiceImageThroughKustomization() {
        Map<String, Object> kustomization = manifests.ofKind("Kustomization").get(0);
        List<String> resources = Yaml2.listAt(kustomization, "resources").stream().map(Yaml2::text).toList();
        for (Path file : DeployFiles.kubernetesFiles()) {
            String name = file.getFileName().toString();
            if (!name.equals("kustomization.yaml")) {
                assertThat(resources).as("resources of kustomization.yaml").contains(name);
            }
        }
        List<Object> images = Yaml2.listAt(kustomization, "images").stream()
                .map(image -> Yaml2.map(image, "image").get("name")).toList();
        for (NgaoService service : NgaoService.values()) {
            String image = Yaml2.text(KubernetesManifests.container(manifests.workload(service)).get("image"));
            assertThat(images).as("images of kustomization.yaml").contains(image.substring(0, image.lastIndexOf(':')));
        }
    }

    @Test
    void shouldRequestAndLimitCpuAndMemoryOfEveryContainer() {
        for (Map<String, Object> workload : manifests.workloads()) {
            Map<String, Object> resources = Yaml2.mapAt(KubernetesManifests.container(workload), "resources");
            assertThat(Yaml2.mapAt(resources, "requests")).as(KubernetesManifests.name(workload)).containsKeys("cpu", "memory");
            assertThat(Yaml2.mapAt(resources, "limits")).as(KubernetesManifests.name(workload)).containsKeys("cpu", "memory");
        }
    }

    @Test
    void shouldRunEveryPodAsTheImagesNonRootUser() {
        for (Map<String, Object> workload : manifests.workloads()) {
            Map<String, Object> security = Yaml2.mapAt(KubernetesManifests.podSpec(workload), "securityContext");
            assertThat(security).as(KubernetesManifests.name(workload)).containsEntry("runAsNonRoot", true);
            assertThat(Yaml2.text(security.get("runAsUser"))).as(KubernetesManifests.name(workload)).isEqualTo("10001");
            Map<String, Object> container = Yaml2.mapAt(KubernetesManifests.container(workload), "securityContext");
            assertThat(container).containsEntry("allowPrivilegeEscalation", false);
        }
    }

    @Test
    void shouldGiveStatefulSetsAGoverningServiceAndPointEveryServiceAtAWorkloadPort() {
        for (Map<String, Object> statefulSet : manifests.ofKind("StatefulSet")) {
            String serviceName = Yaml2.text(Yaml2.at(statefulSet, "spec/serviceName"));
            Map<String, Object> service = manifests.named("Service", serviceName);
            assertThat(Yaml2.text(Yaml2.at(service, "spec/clusterIP"))).as(serviceName).isEqualTo("None");
        }
        for (Map<String, Object> service : manifests.ofKind("Service")) {
            Map<String, Object> selector = Yaml2.mapAt(service, "spec/selector");
            List<Map<String, Object>> selected = manifests.workloads().stream()
                    .filter(workload -> KubernetesManifests.podLabels(workload).entrySet().containsAll(selector.entrySet()))
                    .toList();
            assertThat(selected).as("workloads of Service %s", KubernetesManifests.name(service)).hasSize(1);
            List<Object> portNames = Yaml2.listAt(KubernetesManifests.container(selected.get(0)), "ports").stream()
                    .map(port -> Yaml2.map(port, "port").get("name")).toList();
            for (Object port : Yaml2.listAt(service, "spec/ports")) {
                assertThat(portNames).as("target port of Service %s", KubernetesManifests.name(service))
                        .contains(Yaml2.map(port, "port").get("targetPort"));
            }
        }
    }

    /** An HTTP probe on {@code path}, on the named container port that is the service's configured HTTP port. */
    private void assertHttpProbe(NgaoService service, String probe, String path) {
        Map<String, Object> workload = manifests.workload(service);
        Map<String, Object> container = KubernetesManifests.container(workload);
        Map<String, Object> httpGet = Yaml2.mapAt(container, probe + "/httpGet");
        assertThat(httpGet.get("path")).as("%s of %s", probe, service.deployName).isEqualTo(path);

        Object portName = httpGet.get("port");
        Optional<Map<String, Object>> port = Yaml2.listAt(container, "ports").stream()
                .map(entry -> Yaml2.map(entry, "port"))
                .filter(entry -> portName.equals(entry.get("name")) || portName.equals(entry.get("containerPort")))
                .findFirst();
        assertThat(port).as("port %s of %s", portName, service.deployName).isPresent();

        assertThat(Yaml2.text(port.get().get("containerPort")))
                .as("%s of %s", service.httpPortVariable().orElseThrow(), service.deployName)
                .isEqualTo(configuredPort(service, workload));
    }

    /** The HTTP port the workload's environment configures, or the service's default. */
    private String configuredPort(NgaoService service, Map<String, Object> workload) {
        Object configured = manifests.environment(workload).get(service.httpPortVariable().orElseThrow());
        return configured != null ? String.valueOf(configured) : String.valueOf(service.defaultHttpPort().orElseThrow());
    }
}
