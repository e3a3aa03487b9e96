package dev.ngao.platform.config;

import org.apache.kafka.common.config.ConfigDef;

import java.util.Comparator;

/** Renders a {@link ConfigDef} as the Markdown table docs/configuration.md carries. */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    public static String markdownTable(ConfigDef definition) {
        StringBuilder table = new StringBuilder()
                .append("| variable | key | type | default | meaning |\n")
                .append("| --- | --- | --- | --- | --- |\n");
        definition.configKeys().values().stream()
                .sorted(Comparator.comparing(key -> key.name))
                .forEach(key -> table.append("| `").append(EnvironmentConfig.variableName(key.name))
                        .append("` | `").append(key.name)
                        .append("` | ").append(key.type.name().toLowerCase())
                        .append(" | ").append(defaultText(key))
                        .append(" | ").append(key.documentation.replace("|", "\\|"))
                        .append(" |\n"));
        return table.toString();
    }

    private static String defaultText(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        if (key.type == ConfigDef.Type.PASSWORD) {
            // A secret's default is never printed; an empty one is worth saying.
            boolean empty = key.defaultValue == null
                    || ((org.apache.kafka.common.config.types.Password) key.defaultValue).value().isEmpty();
            return empty ? "(empty)" : "(secret)";
        }
        Object value = key.defaultValue;
        String text = value instanceof java.util.List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(value);
        return text.isEmpty() ? "(empty)" : "`" + text + "`";
    }
}
