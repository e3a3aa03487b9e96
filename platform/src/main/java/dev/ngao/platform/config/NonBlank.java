package dev.ngao.platform.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Refuses empty and blank strings. */
public final class NonBlank implements ConfigDef.Validator {

    @Override
    public void ensureValid(String name, Object value) {
        if (value == null || value.toString().isBlank()) {
            throw new ConfigException(name, value, "must not be empty");
        }
    }

    @Override
    public String toString() {
        return "non-empty string";
    }
}
