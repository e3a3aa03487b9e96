package dev.ngao.deploy;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml: the broker and the registry, and the services pointed at them. */
class ComposeStackTest {

    private final ComposeFile compose = ComposeFile.load();

    @Test
    void shouldRunOneKraftBrokerThatIsItsOwnControllerFromTheOfficialImage() {
        Map<String, String> kafka = compose.environment("kafka");

        assertThat(Yaml2.text(compose.service("kafka").get("image"))).startsWith("apache/kafka:");
        assertThat(Arrays.asList(kafka.get("KAFKA_PROCESS_ROLES").split(","))).containsExactlyInAnyOrder("broker", "controller");
        // The controller listens on the container's loopback only (ComposeKafkaSecurityTest).
        assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(kafka.get("KAFKA_NODE_ID") + "@127.0.0.1:9093");
        assertThat(kafka).containsKey("CLUSTER_ID");
        // One broker: no replication factor above one anywhere, or topic creation and transactions fail.
        for (String variable : List.of("KAFKA_DEFAULT_REPLICATION_FACTOR", "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
                "KAFKA_MIN_INSYNC_REPLICAS")) {
            assertThat(kafka.get(variable)).as(variable).isEqualTo("1");
        }
        // The log is on the named volume, not in the container.
        assertThat(compose.volumeMounts("kafka").get(kafka.get("KAFKA_LOG_DIRS"))).isEqualTo("kafka-data");
    }

    @Test
    void shouldPointEveryKafkaServiceAtTheBrokersAdvertisedListenerAndTheRegistry() {
        String advertised = Arrays.stream(compose.environment("kafka").get("KAFKA_ADVERTISED_LISTENERS").split(","))
                .filter(listener -> listener.startsWith(ComposeKafkaSecurityTest.SERVICES_LISTENER + "://"))
                .findFirst().orElseThrow()
                .substring((ComposeKafkaSecurityTest.SERVICES_LISTENER + "://").length());
        String registryPort = compose.environment("schema-registry").get("SCHEMA_REGISTRY_LISTENERS")
                .replaceAll(".*:", "");
        for (NgaoService service : NgaoService.values()) {
            if (!service.variables().contains("NGAO_KAFKA_BOOTSTRAP_SERVERS")) {
                continue;
            }
            Map<String, String> environment = compose.environment(service.deployName);
            assertThat(environment.get("NGAO_KAFKA_BOOTSTRAP_SERVERS")).as(service.deployName).isEqualTo(advertised);
            assertThat(environment.get("NGAO_KAFKA_REPLICATION_FACTOR")).as(service.deployName).isEqualTo("1");
            assertThat(environment.get("NGAO_SCHEMA_REGISTRY_URL")).as(service.deployName)
                    .isEqualTo("http://schema-registry:" + registryPort);
            // Started once the registry (and so the broker) is healthy.
            assertThat(Yaml2.mapAt(compose.service(service.deployName), "depends_on/schema-registry"))
                    .as(service.deployName).containsEntry("condition", "service_healthy");
        }
    }

    @Test
    void shouldPublishEachServicesConfiguredHttpPort() {
        assertThat(Yaml2.listAt(compose.service(NgaoService.CONSOLE.deployName), "ports")).as("ports of the console")
                .isNotEmpty();
        for (NgaoService service : NgaoService.values()) {
            if (service.httpPortVariable().isEmpty()) {
                continue;
            }
            String configured = compose.environment(service.deployName).getOrDefault(service.httpPortVariable().get(),
                    String.valueOf(service.defaultHttpPort().orElseThrow()));
            for (Object port : Yaml2.listAt(compose.service(service.deployName), "ports")) {
                String[] parts = String.valueOf(port).split(":");
                assertThat(parts[parts.length - 1]).as("container port published for %s", service.deployName)
                        .isEqualTo(configured);
            }
        }
    }

    @Test
    void shouldStartTheConsoleOnceIngestIsHealthyAndHealthCheckItWithTheImagesCheck() {
        Map<String, Object> console = compose.service(NgaoService.CONSOLE.deployName);
        // Signing in asks ingest about the analyst's key.
        assertThat(Yaml2.mapAt(console, "depends_on/" + NgaoService.INGEST.deployName))
                .containsEntry("condition", "service_healthy");
        // ingest's health is the image's HEALTHCHECK, unless compose turned it off.
        assertThat(Yaml2.at(compose.service(NgaoService.INGEST.deployName), "healthcheck/disable")).isNotEqualTo(true);
        assertThat(Yaml2.at(console, "healthcheck/disable")).isNotEqualTo(true);
        Object test = Yaml2.at(console, "healthcheck/test");
        if (test != null) {
            assertThat(String.valueOf(test)).as("the console's health check").contains("/opt/ngao/bin/healthcheck.sh");
        }
    }

    @Test
    void shouldPublishPortsOnTheLoopbackInterfaceOnly() {
        // The ledger's and reconciler's APIs have no authentication of their own.
        compose.services().keySet().forEach(name -> {
            for (Object port : Yaml2.listAt(compose.service(name), "ports")) {
                assertThat(String.valueOf(port)).as("port of %s", name).startsWith("127.0.0.1:");
            }
        });
    }
}
