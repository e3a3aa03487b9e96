package dev.ngao.platform.config;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@link ConfigDef} from environment variables, in one place. Each key {@code a.b.c} is read
 * from {@code NGAO_A_B_C}; Kafka's ConfigDef gives every key a type, a default, a validator and a
 * description, so the table of docs/configuration.md is generated from the same definitions that validate at start.
 */
public final class EnvironmentConfig {

    public static final String PREFIX = "NGAO_";

    private EnvironmentConfig() {
    }

    /** The environment variable that sets {@code key}. */
    public static String variableName(String key) {
        return PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The values of {@code definition}'s keys found in {@code environment}, not yet validated. Keys not
     * set are absent, so the definition's defaults apply.
     */
    public static Map<String, String> select(ConfigDef definition, Map<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        for (String key : definition.names()) {
            String value = environment.get(variableName(key));
            if (value != null) {
                values.put(key, value);
            }
        }
        return values;
    }

    /**
     * Parses and validates; a bad value fails with a message naming both the key and its variable.
     *
     * @throws InvalidConfigurationException naming the offending key
     */
    public static <C extends AbstractConfig> C load(ConfigDef definition, Map<String, String> environment,
                                                    java.util.function.Function<Map<String, String>, C> constructor) {
        Map<String, String> values = select(definition, environment);
        try {
            return constructor.apply(values);
        } catch (ConfigException e) {
            throw new InvalidConfigurationException(describe(definition, e), e);
        }
    }

    private static String describe(ConfigDef definition, ConfigException e) {
        String message = e.getMessage() == null ? "invalid configuration" : e.getMessage();
        for (String key : definition.names()) {
            if (message.contains(key)) {
                return variableName(key) + " (" + key + "): " + message;
            }
        }
        return message;
    }
}
