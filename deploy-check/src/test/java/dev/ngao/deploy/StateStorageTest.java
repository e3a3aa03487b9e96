package dev.ngao.deploy;

import dev.ngao.schemas.topics.Topics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the stateful services keep their state, in Kubernetes and in compose. */
class StateStorageTest {

    private final KubernetesManifests manifests = KubernetesManifests.load();
    private final ComposeFile compose = ComposeFile.load();

    @Test
    void shouldMountAVolumeClaimTemplateAtTheRiskStreamsStateDirectory() {
        assertVolumeClaimAtStateDirectory(NgaoService.RISK);
    }

    @Test
    void shouldMountAVolumeClaimTemplateAtTheLedgerDataDirectoryAndRunOneInstance() {
        Map<String, Object> ledger = assertVolumeClaimAtStateDirectory(NgaoService.LEDGER);
        // One hash chain per data directory: a second instance would be a second ledger.
        assertThat(Yaml2.text(Yaml2.at(ledger, "spec/replicas"))).isEqualTo("1");
    }

    @Test
    void shouldKeepTheReconcilersViewOnAVolumeClaimWithOneInstance() {
        Map<String, Object> reconciler = assertVolumeClaimAtStateDirectory(NgaoService.RECONCILER);
        // One reconciler owns the ledger view (it reads without a consumer group).
        assertThat(Yaml2.text(Yaml2.at(reconciler, "spec/replicas"))).isEqualTo("1");
    }

    @Test
    void shouldKeepTheNotifiersDeliveriesOnAVolumeClaimWithOneInstance() {
        Map<String, Object> notifier = assertVolumeClaimAtStateDirectory(NgaoService.NOTIFIER);
        // Pending deliveries and de-duplication live in one database: a second instance would send from another.
        assertThat(Yaml2.text(Yaml2.at(notifier, "spec/replicas"))).isEqualTo("1");
    }

    @Test
    void shouldRunTheConsoleWithoutDiskState() {
        // Its views are rebuilt from the topics at start and its sessions live in memory: nothing to keep.
        Map<String, Object> console = manifests.workload(NgaoService.CONSOLE);
        assertThat(console.get("kind")).isEqualTo("Deployment");
        assertThat(NgaoService.CONSOLE.stateDirectoryVariable()).isEmpty();
        for (Object volume : Yaml2.listAt(KubernetesManifests.podSpec(console), "volumes")) {
            assertThat(Yaml2.map(volume, "volume")).as("volume of the console").doesNotContainKey("persistentVolumeClaim");
        }
        // Only the Kafka CA certificate it trusts, read-only.
        assertThat(compose.volumeMounts(NgaoService.CONSOLE.deployName)).as("volumes of the console in compose")
                .containsOnlyKeys(ComposeKafkaSecurityTest.CA_DIRECTORY);
    }

    @Test
    void shouldRunRiskStreamsWithStandbysOnOtherInstancesAndNoIdleInstance() {
        Map<String, Object> risk = manifests.workload(NgaoService.RISK);
        int replicas = Integer.parseInt(Yaml2.text(Yaml2.at(risk, "spec/replicas")));
        Object standbys = manifests.environment(risk).get("NGAO_RISK_STANDBY_REPLICAS");

        assertThat(standbys).as("NGAO_RISK_STANDBY_REPLICAS").isNotNull();
        int standbyReplicas = Integer.parseInt(String.valueOf(standbys));
        assertThat(standbyReplicas).isGreaterThanOrEqualTo(1);
        // A standby lives on another instance than its active task.
        assertThat(replicas).isGreaterThan(standbyReplicas);
        // Work is shared by partition: instances beyond the partition count would idle.
        assertThat(replicas).isLessThanOrEqualTo(Topics.PAYMENT_REQUESTS.partitions());
    }

    @Test
    void shouldKeepEveryStatefulServicesDirectoryOnANamedVolumeInCompose() {
        for (NgaoService service : List.of(NgaoService.RISK, NgaoService.LEDGER, NgaoService.RECONCILER,
                NgaoService.NOTIFIER)) {
            String variable = service.stateDirectoryVariable().orElseThrow();
            String directory = compose.environment(service.deployName).get(variable);
            assertThat(directory).as("%s of %s", variable, service.deployName).startsWith("/");
            String volume = compose.volumeMounts(service.deployName).get(directory);
            assertThat(volume).as("volume mounted at %s in %s", directory, service.deployName).isNotNull();
            assertThat(compose.namedVolumes()).as("named volumes").containsKey(volume);
        }
    }

    @Test
    void shouldHandTheSandboxReportsToTheReconcilersInboxInCompose() {
        String reports = compose.environment(NgaoService.SANDBOX.deployName).get("NGAO_SANDBOX_REPORTS_DIR");
        String inbox = compose.environment(NgaoService.RECONCILER.deployName).get("NGAO_RECONCILER_REPORT_INBOX_DIR");
        String volume = compose.volumeMounts(NgaoService.SANDBOX.deployName).get(reports);

        assertThat(volume).isNotNull();
        assertThat(compose.volumeMounts(NgaoService.RECONCILER.deployName).get(inbox)).isEqualTo(volume);
    }

    /** The workload is a StatefulSet whose state directory is a mount of one of its volume claim templates. */
    private Map<String, Object> assertVolumeClaimAtStateDirectory(NgaoService service) {
        Map<String, Object> workload = manifests.workload(service);
        assertThat(workload.get("kind")).as(service.deployName).isEqualTo("StatefulSet");
        String variable = service.stateDirectoryVariable().orElseThrow();
        Object directory = manifests.environment(workload).get(variable);
        assertThat(directory).as("%s of %s", variable, service.deployName).isInstanceOf(String.class);
        assertThat((String) directory).startsWith("/");

        List<String> claims = Yaml2.listAt(workload, "spec/volumeClaimTemplates").stream()
                .map(claim -> KubernetesManifests.name(Yaml2.map(claim, "volumeClaimTemplate"))).toList();
        List<String> mountedThere = Yaml2.listAt(KubernetesManifests.container(workload), "volumeMounts").stream()
                .map(mount -> Yaml2.map(mount, "volumeMount"))
                .filter(mount -> directory.equals(mount.get("mountPath")))
                .map(mount -> Yaml2.text(mount.get("name"))).toList();
        assertThat(mountedThere).as("volume mounted at %s in %s", directory, service.deployName).hasSize(1);
        assertThat(claims).as("volume claim templates of %s", service.deployName).contains(mountedThere.get(0));
        return workload;
    }
}
