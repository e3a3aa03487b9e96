package dev.ngao.deploy;

import dev.ngao.platform.config.EnvironmentConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every NGAO_* variable the compose file and the Kubernetes manifests set is one the service reads (its
 * configuration definition, through EnvironmentConfig.variableName), so a misspelt variable, silently
 * ignored by the service, fails here instead.
 */
class EnvironmentVariablesTest {

    private static final Pattern COMPOSE_REQUIRED_VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?");
    private static final Pattern ENV_FILE_ASSIGNMENT = Pattern.compile("(?m)^([A-Z0-9_]+)=");
    private static final Pattern SECRET_LITERAL = Pattern.compile("--from-literal=([a-z0-9-]+)=");

    private final ComposeFile compose = ComposeFile.load();
    private final KubernetesManifests manifests = KubernetesManifests.load();

    @Test
    void shouldDeployEveryServiceInComposeAndKubernetes() {
        assertThat(compose.services().keySet()).containsAll(NgaoService.deployNames());
        for (NgaoService service : NgaoService.values()) {
            assertThat(manifests.workload(service)).as(service.deployName).isNotNull();
        }
    }

    @Test
    void shouldSetOnlyVariablesTheServiceReadsInCompose() {
        for (NgaoService service : NgaoService.values()) {
            Set<String> used = compose.environment(service.deployName).keySet();
            assertThat(service.unknownVariables(used)).as("unknown NGAO_* variables of %s in docker-compose.yml",
                    service.deployName).isEmpty();
        }
    }

    @Test
    void shouldSetOnlyVariablesTheServiceReadsInKubernetes() {
        for (NgaoService service : NgaoService.values()) {
            Set<String> used = manifests.environment(manifests.workload(service)).keySet();
            assertThat(service.unknownVariables(used)).as("unknown NGAO_* variables of %s in deploy/k8s",
                    service.deployName).isEmpty();
        }
    }

    @Test
    void shouldReadEveryConfigMapFromSomeWorkload() {
        // A ConfigMap no workload reads would escape the variable checks above, and configure nothing.
        Set<String> referenced = new TreeSet<>();
        for (Map<String, Object> workload : manifests.workloads()) {
            for (Object source : Yaml2.listAt(KubernetesManifests.container(workload), "envFrom")) {
                referenced.add(Yaml2.text(Yaml2.at(Yaml2.map(source, "envFrom"), "configMapRef/name")));
            }
        }
        for (Map<String, Object> configMap : manifests.ofKind("ConfigMap")) {
            assertThat(referenced).contains(KubernetesManifests.name(configMap));
        }
    }

    @Test
    void shouldReportAMisspeltVariableAsUnknown() {
        // Given the ledger's data directory variable with a typo, beside a correct one and a foreign one
        Set<String> used = Set.of("NGAO_LEDGER_DATA_DIRECTORY", "NGAO_LEDGER_HTTP_PORT", "JAVA_OPTS");

        // Then only the typo is reported
        assertThat(NgaoService.LEDGER.unknownVariables(used)).containsExactly("NGAO_LEDGER_DATA_DIRECTORY");
    }

    @Test
    void shouldSetEveryVariableWithoutADefault() {
        assertThat(NgaoService.INGEST.requiredVariables()).as("the ingest door has required secrets")
                .contains("NGAO_INGEST_KEYS_MASTER_KEY", "NGAO_INGEST_PII_PEPPER");
        for (NgaoService service : NgaoService.values()) {
            for (String required : service.requiredVariables()) {
                assertThat(compose.environment(service.deployName)).as("%s in docker-compose.yml", service.deployName)
                        .containsKey(required);
                assertThat(manifests.environment(manifests.workload(service))).as("%s in deploy/k8s", service.deployName)
                        .containsKey(required);
            }
        }
    }

    @Test
    void shouldListenOnEveryInterfaceInsideContainers() {
        // The services listen on 127.0.0.1 by default: unreachable from another container or pod.
        for (NgaoService service : NgaoService.values()) {
            service.httpHostVariable().ifPresent(variable -> {
                assertThat(compose.environment(service.deployName)).as(service.deployName).containsEntry(variable, "0.0.0.0");
                assertThat(manifests.environment(manifests.workload(service))).as(service.deployName)
                        .containsEntry(variable, "0.0.0.0");
            });
        }
    }

    @Test
    void shouldKeepSecretsOutOfConfigMapsAndTheComposeFile() {
        // Given the variables the definitions type as passwords
        for (NgaoService service : NgaoService.values()) {
            Set<String> passwords = new TreeSet<>();
            service.definition.configKeys().values().stream()
                    .filter(key -> key.type == ConfigDef.Type.PASSWORD)
                    .forEach(key -> passwords.add(EnvironmentConfig.variableName(key.name)));

            // Then Kubernetes takes each one it sets from a Secret, and compose from .env
            manifests.environment(manifests.workload(service)).forEach((name, value) -> {
                if (passwords.contains(name)) {
                    assertThat(value).as("%s of %s", name, service.deployName)
                            .isInstanceOf(KubernetesManifests.SecretReference.class);
                }
            });
            compose.environment(service.deployName).forEach((name, value) -> {
                if (passwords.contains(name)) {
                    assertThat(value).as("%s of %s", name, service.deployName).matches("\\$\\{[A-Z0-9_]+:\\?.*}");
                }
            });
        }
    }

    @Test
    void shouldReferenceOnlySecretsTheSecretScriptsCreate() {
        // Kubernetes: every secretKeyRef names a key create-secrets.sh puts in ngao-secrets
        Set<String> created = matches(SECRET_LITERAL, DeployFiles.read(DeployFiles.CREATE_SECRETS_SCRIPT));
        assertThat(DeployFiles.read(DeployFiles.CREATE_SECRETS_SCRIPT)).contains("create secret generic ngao-secrets");
        for (NgaoService service : NgaoService.values()) {
            for (Object value : manifests.environment(manifests.workload(service)).values()) {
                if (value instanceof KubernetesManifests.SecretReference reference) {
                    assertThat(reference.secret()).isEqualTo("ngao-secrets");
                    assertThat(created).as("keys create-secrets.sh creates").contains(reference.key());
                }
            }
        }
        // Compose: every required ${VARIABLE:?...} is one compose-env.sh writes into .env
        Set<String> required = matches(COMPOSE_REQUIRED_VARIABLE, DeployFiles.read(DeployFiles.COMPOSE_FILE));
        Set<String> written = matches(ENV_FILE_ASSIGNMENT, DeployFiles.read(DeployFiles.COMPOSE_ENV_SCRIPT));
        assertThat(required).isNotEmpty();
        assertThat(written).containsAll(required);
    }

    @Test
    void shouldShareEachWebhookAndApiSecretBetweenTheSandboxAndItsCounterpart() {
        // The sandbox signs webhooks with what ingest verifies, and expects the API secrets the reconciler sends.
        Map<String, String> pairs = Map.of(
                "NGAO_SANDBOX_MOBILE_MONEY_HUB_WEBHOOK_SECRET", "ingest-service/NGAO_INGEST_WEBHOOKS_MOBILEMONEY_SECRETS",
                "NGAO_SANDBOX_PAGOEFECTIVO_WEBHOOK_SECRET", "ingest-service/NGAO_INGEST_WEBHOOKS_PAGOEFECTIVO_SECRETS",
                "NGAO_SANDBOX_CARD_NETWORK_WEBHOOK_SECRET", "ingest-service/NGAO_INGEST_WEBHOOKS_CARDNETWORK_SECRETS",
                "NGAO_SANDBOX_MOBILE_MONEY_HUB_API_SECRET", "reconciler/NGAO_PROVIDERS_MOBILE_MONEY_HUB_API_SECRET",
                "NGAO_SANDBOX_PAGOEFECTIVO_API_SECRET", "reconciler/NGAO_PROVIDERS_PAGOEFECTIVO_API_SECRET",
                "NGAO_SANDBOX_CARD_NETWORK_API_SECRET", "reconciler/NGAO_PROVIDERS_CARD_NETWORK_API_SECRET");
        Map<String, Object> sandbox = manifests.environment(manifests.workload(NgaoService.SANDBOX));
        pairs.forEach((sandboxVariable, counterpart) -> {
            String[] parts = counterpart.split("/");
            NgaoService other = NgaoService.byDeployName(parts[0]).orElseThrow();
            assertThat(compose.environment(other.deployName).get(parts[1])).as(counterpart)
                    .isNotNull().isEqualTo(compose.environment(NgaoService.SANDBOX.deployName).get(sandboxVariable));
            assertThat(manifests.environment(manifests.workload(other)).get(parts[1])).as(counterpart)
                    .isNotNull().isEqualTo(sandbox.get(sandboxVariable));
        });
    }

    @Test
    void shouldPointTheConsoleAndTheSandboxAtTheIngestService() {
        Map<String, String> callers = Map.of(
                NgaoService.CONSOLE.deployName, "NGAO_CONSOLE_INGEST_URL",
                NgaoService.SANDBOX.deployName, "NGAO_SANDBOX_INGEST_URL");
        // Compose: the ingest container's name and the port it listens on
        String ingestPort = compose.environment(NgaoService.INGEST.deployName).getOrDefault(
                NgaoService.INGEST.httpPortVariable().orElseThrow(),
                String.valueOf(NgaoService.INGEST.defaultHttpPort().orElseThrow()));
        // Kubernetes: the ingest Service's name, and its port that leads to the container's HTTP port
        Map<String, Object> ingestService = manifests.serviceInFrontOf(NgaoService.INGEST);
        Map<String, Object> ingestWorkload = manifests.workload(NgaoService.INGEST);
        Object configuredInK8s = manifests.environment(ingestWorkload).get(NgaoService.INGEST.httpPortVariable().orElseThrow());
        String ingestContainerPort = configuredInK8s != null ? String.valueOf(configuredInK8s)
                : String.valueOf(NgaoService.INGEST.defaultHttpPort().orElseThrow());
        String ingestServicePort = Yaml2.listAt(ingestService, "spec/ports").stream()
                .map(port -> Yaml2.map(port, "port"))
                .filter(port -> ingestContainerPort.equals(KubernetesManifests.containerPort(
                        KubernetesManifests.container(ingestWorkload),
                        port.get("targetPort") != null ? port.get("targetPort") : port.get("port"))))
                .map(port -> Yaml2.text(port.get("port"))).findFirst().orElse(null);
        assertThat(ingestServicePort).as("port of the ingest Service").isNotNull();

        callers.forEach((caller, variable) -> {
            URI composeUrl = URI.create(compose.environment(caller).get(variable));
            assertThat(composeUrl.getScheme()).as("%s of %s in compose", variable, caller).isEqualTo("http");
            assertThat(composeUrl.getHost()).as("%s of %s in compose", variable, caller)
                    .isEqualTo(NgaoService.INGEST.deployName);
            assertThat(String.valueOf(composeUrl.getPort())).as("%s of %s in compose", variable, caller)
                    .isEqualTo(ingestPort);

            Object value = manifests.environment(manifests.workload(NgaoService.byDeployName(caller).orElseThrow()))
                    .get(variable);
            assertThat(value).as("%s of %s in deploy/k8s", variable, caller).isInstanceOf(String.class);
            URI kubernetesUrl = URI.create((String) value);
            assertThat(kubernetesUrl.getScheme()).as("%s of %s in deploy/k8s", variable, caller).isEqualTo("http");
            // The Service's name, or its qualified DNS name (ingest-service.<namespace>.svc...).
            assertThat(kubernetesUrl.getHost().split("\\.")[0]).as("%s of %s in deploy/k8s", variable, caller)
                    .isEqualTo(KubernetesManifests.name(ingestService));
            assertThat(String.valueOf(kubernetesUrl.getPort())).as("%s of %s in deploy/k8s", variable, caller)
                    .isEqualTo(ingestServicePort);
        });
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
