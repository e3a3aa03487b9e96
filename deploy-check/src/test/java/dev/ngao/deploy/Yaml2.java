package dev.ngao.deploy;

import java.util.List;
import java.util.Map;

/** Typed access to parsed YAML trees, failing with the path that was not what it should be. */
final class Yaml2 {

    private Yaml2() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String where) {
        if (!(node instanceof Map<?, ?>)) {
            throw new AssertionError(where + " is not a mapping: " + node);
        }
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String where) {
        if (!(node instanceof List<?>)) {
            throw new AssertionError(where + " is not a list: " + node);
        }
        return (List<Object>) node;
    }

    /** The node at {@code path} (keys separated by '/'), or null when any step is missing. */
    static Object at(Map<String, Object> root, String path) {
        Object node = root;
        for (String key : path.split("/")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    static Map<String, Object> mapAt(Map<String, Object> root, String path) {
        return map(at(root, path), path);
    }

    static List<Object> listAt(Map<String, Object> root, String path) {
        Object node = at(root, path);
        return node == null ? List.of() : list(node, path);
    }

    /** A scalar as Kafka and Kubernetes read it: YAML's 3 and "3" are the same setting. */
    static String text(Object node) {
        return node == null ? null : String.valueOf(node);
    }
}
