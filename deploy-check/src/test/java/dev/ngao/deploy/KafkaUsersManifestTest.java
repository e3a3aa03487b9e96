package dev.ngao.deploy;

import dev.ngao.deploy.access.ServicePrincipal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy/k8s: one KafkaUser per service, and each service's pods connect as it. */
class KafkaUsersManifestTest {

    private static final String USER_DIRECTORY = "/etc/ngao/kafka-user";
    private static final String CA_DIRECTORY = "/etc/ngao/kafka-ca";

    private final KubernetesManifests manifests = KubernetesManifests.load();

    @Test
    void shouldDeclareOneScramKafkaUserPerServiceOnTheCluster() {
        String cluster = KubernetesManifests.name(manifests.ofKind("Kafka").get(0));
        List<Map<String, Object>> users = manifests.ofKind("KafkaUser");

        Set<String> names = users.stream().map(KubernetesManifests::name).collect(Collectors.toSet());
        assertThat(names).containsExactlyInAnyOrder(
                java.util.Arrays.stream(ServicePrincipal.values()).map(p -> p.userName).toArray(String[]::new));
        for (Map<String, Object> user : users) {
            assertThat(Yaml2.text(Yaml2.mapAt(user, "metadata/labels").get("strimzi.io/cluster"))).isEqualTo(cluster);
            assertThat(Yaml2.text(Yaml2.at(user, "spec/authentication/type"))).isEqualTo("scram-sha-512");
            assertThat(Yaml2.text(Yaml2.at(user, "spec/authorization/type"))).isEqualTo("simple");
        }
    }

    @Test
    void shouldMountEachServicesKafkaUserSecretAndTheClusterCa() {
        String cluster = KubernetesManifests.name(manifests.ofKind("Kafka").get(0));
        for (ServicePrincipal principal : ServicePrincipal.values()) {
            NgaoService service = NgaoService.byDeployName(principal.userName).orElseThrow();
            Map<String, Object> workload = manifests.workload(service);
            Map<String, Object> environment = manifests.environment(workload);

            // Given the pod's secret volumes, by the directory they are mounted at
            Map<String, String> secretsByMount = secretMounts(workload);

            // Then it connects as its own user, with the password file of its KafkaUser's Secret
            assertThat(environment).as(principal.userName)
                    .containsEntry("NGAO_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("NGAO_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("NGAO_KAFKA_SASL_USERNAME", principal.userName)
                    .containsEntry("NGAO_KAFKA_SASL_PASSWORD_FILE", USER_DIRECTORY + "/password")
                    .containsEntry("NGAO_KAFKA_SSL_TRUSTSTORE_LOCATION", CA_DIRECTORY + "/ca.crt")
                    .containsEntry("NGAO_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
            assertThat(secretsByMount).as(principal.userName)
                    .containsEntry(USER_DIRECTORY, principal.userName)
                    .containsEntry(CA_DIRECTORY, cluster + "-cluster-ca-cert");
        }
    }

    /** Mount path to Secret name, for the container's read-only mounts of secret volumes. */
    private static Map<String, String> secretMounts(Map<String, Object> workload) {
        Map<String, String> secretByVolume = new java.util.HashMap<>();
        for (Object entry : Yaml2.listAt(KubernetesManifests.podSpec(workload), "volumes")) {
            Map<String, Object> volume = Yaml2.map(entry, "volume");
            Object secret = Yaml2.at(volume, "secret/secretName");
            if (secret != null) {
                secretByVolume.put(Yaml2.text(volume.get("name")), Yaml2.text(secret));
            }
        }
        Map<String, String> mounts = new java.util.HashMap<>();
        for (Object entry : Yaml2.listAt(KubernetesManifests.container(workload), "volumeMounts")) {
            Map<String, Object> mount = Yaml2.map(entry, "volumeMount");
            String secret = secretByVolume.get(Yaml2.text(mount.get("name")));
            if (secret != null) {
                assertThat(mount.get("readOnly")).as("mount of %s", secret).isEqualTo(true);
                mounts.put(Yaml2.text(mount.get("mountPath")), secret);
            }
        }
        return mounts;
    }
}
