package dev.ngao.deploy;

import dev.ngao.deploy.access.KafkaAccess;
import dev.ngao.deploy.access.ServicePrincipal;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml: Kafka is SASL_SSL for every container, each service its own SCRAM user. */
class ComposeKafkaSecurityTest {

    static final String SERVICES_LISTENER = "SERVICES";
    static final String CA_DIRECTORY = "/etc/ngao/kafka-ca";
    private static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost", "[::1]");

    private final ComposeFile compose = ComposeFile.load();
    private final Map<String, String> kafka = compose.environment("kafka");

    /** listener name to host:port, from a KAFKA_LISTENERS-style value. */
    private static Map<String, String> listeners(String value) {
        Map<String, String> listeners = new LinkedHashMap<>();
        for (String listener : value.split(",")) {
            String[] parts = listener.split("://", 2);
            listeners.put(parts[0], parts[1]);
        }
        return listeners;
    }

    private Map<String, String> protocols() {
        Map<String, String> protocols = new LinkedHashMap<>();
        for (String entry : kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")) {
            String[] parts = entry.split(":");
            protocols.put(parts[0], parts[1]);
        }
        return protocols;
    }

    @Test
    void shouldBindEveryPlaintextListenerToTheBrokersLoopbackOnly() {
        // Given the broker's listeners and their protocols
        Map<String, String> protocols = protocols();
        Map<String, String> bound = listeners(kafka.get("KAFKA_LISTENERS"));
        Map<String, String> advertised = listeners(kafka.get("KAFKA_ADVERTISED_LISTENERS"));

        // Then each one has a protocol, and each PLAINTEXT one is bound and advertised on loopback
        assertThat(protocols).containsKeys(bound.keySet().toArray(String[]::new));
        bound.forEach((name, address) -> {
            if (!protocols.get(name).startsWith("SASL_SSL")) {
                String host = address.substring(0, address.lastIndexOf(':'));
                assertThat(LOOPBACK).as("bind address of the %s listener %s (%s)", protocols.get(name), name, address)
                        .contains(host);
            }
        });
        advertised.forEach((name, address) -> {
            if (!protocols.get(name).equals("SASL_SSL")) {
                assertThat(LOOPBACK).as("advertised address of %s", name)
                        .contains(address.substring(0, address.lastIndexOf(':')));
            }
        });
        // No PLAINTEXT and no SASL_PLAINTEXT for anything outside the container.
        assertThat(protocols.values()).doesNotContain("SASL_PLAINTEXT");
        assertThat(protocols.get(SERVICES_LISTENER)).isEqualTo("SASL_SSL");
        assertThat(protocols.get(kafka.get("KAFKA_CONTROLLER_LISTENER_NAMES"))).isEqualTo("PLAINTEXT");
        assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).endsWith("@127.0.0.1:9093");
    }

    @Test
    void shouldPublishOnlySaslSslListenersOnTheHost() {
        Map<String, String> protocols = protocols();
        Map<String, String> bound = listeners(kafka.get("KAFKA_LISTENERS"));
        for (Object port : Yaml2.listAt(compose.service("kafka"), "ports")) {
            String containerPort = String.valueOf(port).replaceAll(".*:", "");
            String listener = bound.entrySet().stream().filter(entry -> entry.getValue().endsWith(":" + containerPort))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            assertThat(protocols.get(listener)).as("published listener %s", listener).isEqualTo("SASL_SSL");
        }
    }

    @Test
    void shouldAuthorizeWithAclsAndScramSha512() {
        assertThat(kafka.get("KAFKA_AUTHORIZER_CLASS_NAME")).isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        assertThat(kafka.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND")).isEqualTo("false");
        // Only the loopback principal is super user; a SASL_SSL connection is never ANONYMOUS.
        assertThat(kafka.get("KAFKA_SUPER_USERS")).isEqualTo("User:ANONYMOUS");
        assertThat(kafka.get("KAFKA_SASL_ENABLED_MECHANISMS")).isEqualTo(KafkaAccess.SCRAM_MECHANISM);
        assertThat(kafka.get("KAFKA_OPTS")).contains("java.security.auth.login.config=");
    }

    @Test
    void shouldConnectEveryServiceAsItsOwnScramUserOverTls() {
        for (ServicePrincipal principal : ServicePrincipal.values()) {
            Map<String, String> environment = compose.environment(principal.userName);
            assertThat(environment).as(principal.userName)
                    .containsEntry("NGAO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("NGAO_KAFKA_SASL_MECHANISM", KafkaAccess.SCRAM_MECHANISM)
                    .containsEntry("NGAO_KAFKA_SASL_USERNAME", principal.userName)
                    .containsEntry("NGAO_KAFKA_SSL_TRUSTSTORE_LOCATION", CA_DIRECTORY + "/ca.crt")
                    .containsEntry("NGAO_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
                    .containsEntry("NGAO_KAFKA_CREATE_TOPICS", "false");
            assertThat(environment.get("NGAO_KAFKA_SASL_PASSWORD")).as(principal.userName)
                    .startsWith("${" + principal.composePasswordVariable() + ":?");
            assertThat(compose.volumeMounts(principal.userName)).as(principal.userName).containsEntry(CA_DIRECTORY, "kafka-ca");
            // The same password the setup container gives the user.
            assertThat(compose.environment("kafka-setup").get(principal.composePasswordVariable())).as(principal.userName)
                    .isEqualTo(environment.get("NGAO_KAFKA_SASL_PASSWORD"));
        }
    }

    @Test
    void shouldSetUpUsersAndAclsInTheBrokersNetworkBeforeTheRegistryStarts() {
        Map<String, Object> setup = compose.service("kafka-setup");
        assertThat(setup.get("network_mode")).isEqualTo("service:kafka");
        assertThat(Yaml2.mapAt(setup, "depends_on/kafka")).containsEntry("condition", "service_healthy");
        assertThat(compose.volumeMounts("kafka-setup")).containsValue("./deploy/docker/kafka-setup.sh");
        assertThat(Yaml2.mapAt(compose.service("schema-registry"), "depends_on/kafka-setup"))
                .containsEntry("condition", "service_completed_successfully");
        Map<String, String> registry = compose.environment("schema-registry");
        assertThat(registry.get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS")).startsWith("SASL_SSL://");
        assertThat(registry.get("SCHEMA_REGISTRY_KAFKASTORE_SASL_JAAS_CONFIG"))
                .contains("username=\"" + KafkaAccess.COMPOSE_SCHEMA_REGISTRY_USER + "\"")
                .contains("${" + KafkaAccess.passwordVariable(KafkaAccess.COMPOSE_SCHEMA_REGISTRY_USER) + ":?");
    }

    @Test
    void shouldMakeTheBrokersCertificateBeforeItStartsAndKeepItsKeyFromTheServices() {
        assertThat(Yaml2.mapAt(compose.service("kafka"), "depends_on/kafka-tls"))
                .containsEntry("condition", "service_completed_successfully");
        assertThat(compose.volumeMounts("kafka-tls")).containsValue("./deploy/docker/kafka-tls.sh");
        for (String name : compose.services().keySet()) {
            if (!name.equals("kafka") && !name.equals("kafka-tls")) {
                assertThat(compose.volumeMounts(name)).as("volumes of %s", name).doesNotContainValue("kafka-tls");
            }
        }
        assertThat(Arrays.asList(DeployFiles.read(DeployFiles.DEPLOY.resolve("docker/kafka-tls.sh")).split("\n")))
                .anySatisfy(line -> assertThat(line).contains("SAN=dns:kafka,dns:localhost"));
    }
}
