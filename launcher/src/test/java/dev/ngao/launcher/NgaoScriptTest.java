package dev.ngao.launcher;

import dev.ngao.platform.config.EnvironmentConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The ngao script reads the JVM settings itself; their documented defaults are the script's. */
class NgaoScriptTest {

    private static final Path SCRIPT = Path.of("..", "ngao");
    /** {@code ${NGAO_HEAP_MAX:-768m}}: a variable and the default the script uses when it is not set. */
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{(NGAO_[A-Z0-9_]+):-([^}]*)}");

    static Map<String, String> scriptDefaults(String script) {
        Map<String, String> defaults = new HashMap<>();
        Matcher matcher = DEFAULTED.matcher(script);
        while (matcher.find()) {
            defaults.putIfAbsent(matcher.group(1), matcher.group(2));
        }
        return defaults;
    }

    @Test
    void readsTheDefaultsOfTheScriptsVariables() {
        assertThat(scriptDefaults("heap=\"-Xmx${NGAO_HEAP_MAX:-768m}\" x ${NGAO_JAVA_OPTS:-} ${OTHER:-1}"))
                .containsOnly(Map.entry("NGAO_HEAP_MAX", "768m"), Map.entry("NGAO_JAVA_OPTS", ""));
    }

    @Test
    void theDocumentedJvmDefaultsAreTheScripts() throws IOException {
        Map<String, String> defaults = scriptDefaults(Files.readString(SCRIPT));
        for (ConfigDef.ConfigKey key : LauncherConfig.JVM_DEFINITION.configKeys().values()) {
            assertThat(defaults.get(EnvironmentConfig.variableName(key.name)))
                    .as("the ngao script's default of %s", EnvironmentConfig.variableName(key.name))
                    .isEqualTo(String.valueOf(key.defaultValue));
        }
    }
}
