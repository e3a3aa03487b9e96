package dev.ngao.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every resource under deploy/k8s, parsed. */
final class KubernetesManifests {

    static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet");
    static final String NAME_LABEL = "app.kubernetes.io/name";

    /** A secret value, as the environment map shows it: where it comes from, not what it is. */
    record SecretReference(String secret, String key) {
    }

    /** A value of the pod itself (the downward API's fieldRef), as the environment map shows it. */
    record FieldReference(String fieldPath) {
    }

    final List<Map<String, Object>> resources;

    private KubernetesManifests(List<Map<String, Object>> resources) {
        this.resources = resources;
    }

    static KubernetesManifests load() {
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Path file : DeployFiles.kubernetesFiles()) {
            resources.addAll(DeployFiles.yamlDocuments(file));
        }
        return new KubernetesManifests(resources);
    }

    List<Map<String, Object>> ofKind(String kind) {
        return resources.stream().filter(resource -> kind.equals(resource.get("kind"))).toList();
    }

    static String name(Map<String, Object> resource) {
        return Yaml2.text(Yaml2.at(resource, "metadata/name"));
    }

    Map<String, Object> named(String kind, String name) {
        List<Map<String, Object>> matches = ofKind(kind).stream().filter(resource -> name.equals(name(resource))).toList();
        if (matches.size() != 1) {
            throw new AssertionError("expected one " + kind + " named " + name + ", found " + matches.size());
        }
        return matches.get(0);
    }

    List<Map<String, Object>> workloads() {
        return resources.stream().filter(resource -> WORKLOAD_KINDS.contains(resource.get("kind"))).toList();
    }

    /** The workload whose pods carry {@code app.kubernetes.io/name: <service>}. */
    Map<String, Object> workload(NgaoService service) {
        List<Map<String, Object>> matches = workloads().stream()
                .filter(workload -> service.deployName.equals(podLabels(workload).get(NAME_LABEL))).toList();
        if (matches.size() != 1) {
            throw new AssertionError("expected one workload for " + service.deployName + ", found " + matches.size());
        }
        return matches.get(0);
    }

    /** The one Service whose selector picks the service's pods. */
    Map<String, Object> serviceInFrontOf(NgaoService service) {
        Map<String, Object> labels = podLabels(workload(service));
        List<Map<String, Object>> matches = ofKind("Service").stream()
                .filter(candidate -> labels.entrySet().containsAll(Yaml2.mapAt(candidate, "spec/selector").entrySet()))
                .toList();
        if (matches.size() != 1) {
            throw new AssertionError("expected one Service in front of " + service.deployName + ", found " + matches.size());
        }
        return matches.get(0);
    }

    /** The container port a Service port's targetPort (a port name or number) designates, or null. */
    static String containerPort(Map<String, Object> container, Object targetPort) {
        for (Object entry : Yaml2.listAt(container, "ports")) {
            Map<String, Object> port = Yaml2.map(entry, "port");
            if (targetPort.equals(port.get("name")) || Yaml2.text(targetPort).equals(Yaml2.text(port.get("containerPort")))) {
                return Yaml2.text(port.get("containerPort"));
            }
        }
        return null;
    }

    static Map<String, Object> podLabels(Map<String, Object> workload) {
        Object labels = Yaml2.at(workload, "spec/template/metadata/labels");
        return labels == null ? Map.of() : Yaml2.map(labels, "labels");
    }

    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return Yaml2.mapAt(workload, "spec/template/spec");
    }

    /** Each Ngao pod runs one container: the service. */
    static Map<String, Object> container(Map<String, Object> workload) {
        List<Object> containers = Yaml2.listAt(podSpec(workload), "containers");
        if (containers.size() != 1) {
            throw new AssertionError(name(workload) + " must run one container, runs " + containers.size());
        }
        return Yaml2.map(containers.get(0), name(workload) + " container");
    }

    /**
     * The container's environment as the process sees it: ConfigMaps of envFrom (which must exist here)
     * first, then env; a secretKeyRef shows as a {@link SecretReference}.
     */
    Map<String, Object> environment(Map<String, Object> workload) {
        Map<String, Object> container = container(workload);
        Map<String, Object> variables = new LinkedHashMap<>();
        for (Object source : Yaml2.listAt(container, "envFrom")) {
            Map<String, Object> from = Yaml2.map(source, "envFrom");
            Object configMap = Yaml2.at(from, "configMapRef/name");
            if (configMap == null) {
                throw new AssertionError(name(workload) + ": only ConfigMaps are expected in envFrom, found " + from);
            }
            Yaml2.mapAt(named("ConfigMap", String.valueOf(configMap)), "data")
                    .forEach((key, value) -> variables.put(key, Yaml2.text(value)));
        }
        for (Object entry : Yaml2.listAt(container, "env")) {
            Map<String, Object> variable = Yaml2.map(entry, "env");
            String variableName = Yaml2.text(variable.get("name"));
            Object secret = Yaml2.at(variable, "valueFrom/secretKeyRef");
            Object field = Yaml2.at(variable, "valueFrom/fieldRef/fieldPath");
            if (field != null) {
                variables.put(variableName, new FieldReference(Yaml2.text(field)));
            } else if (secret != null) {
                Map<String, Object> reference = Yaml2.map(secret, variableName);
                variables.put(variableName, new SecretReference(Yaml2.text(reference.get("name")),
                        Yaml2.text(reference.get("key"))));
            } else {
                variables.put(variableName, Yaml2.text(variable.get("value")));
            }
        }
        return variables;
    }
}
