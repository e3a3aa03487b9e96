package dev.ngao.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker-compose.yml, parsed. */
final class ComposeFile {

    final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    static ComposeFile load() {
        List<Map<String, Object>> documents = DeployFiles.yamlDocuments(DeployFiles.COMPOSE_FILE);
        if (documents.size() != 1) {
            throw new AssertionError("docker-compose.yml must be one YAML document, has " + documents.size());
        }
        return new ComposeFile(documents.get(0));
    }

    Map<String, Object> services() {
        return Yaml2.mapAt(root, "services");
    }

    Map<String, Object> service(String name) {
        return Yaml2.map(services().get(name), "services/" + name);
    }

    /** The service's environment, in either of compose's forms (mapping, or a list of NAME=value). */
    Map<String, String> environment(String name) {
        Object environment = service(name).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((key, value) -> variables.put(String.valueOf(key), Yaml2.text(value)));
        } else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String text = String.valueOf(entry);
                int equals = text.indexOf('=');
                variables.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            }
        }
        return variables;
    }

    /** Short-form volume mounts of the service: container path to source (a named volume or a host path). */
    Map<String, String> volumeMounts(String name) {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object entry : Yaml2.listAt(service(name), "volumes")) {
            String[] parts = String.valueOf(entry).split(":");
            if (parts.length >= 2) {
                mounts.put(parts[1], parts[0]);
            }
        }
        return mounts;
    }

    Map<String, Object> namedVolumes() {
        Object volumes = root.get("volumes");
        return volumes == null ? Map.of() : Yaml2.map(volumes, "volumes");
    }
}
