package dev.ngao.deploy;

import dev.ngao.console.ConsoleConfig;
import dev.ngao.ingest.IngestConfig;
import dev.ngao.ledger.LedgerConfig;
import dev.ngao.notifier.NotifierConfig;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.reconciler.ReconcilerConfig;
import dev.ngao.risk.RiskConfig;
import dev.ngao.sandbox.provider.SandboxConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The deployable services: the name they have in docker-compose.yml and in Kubernetes
 * ({@code app.kubernetes.io/name}), the image's SERVICE build arg, and the configuration definition their
 * process reads its NGAO_* variables from.
 */
enum NgaoService {
    INGEST("ingest-service", "ingest", IngestConfig.DEFINITION, IngestConfig.HTTP_HOST, IngestConfig.HTTP_PORT, null),
    RISK("risk-streams", "risk", RiskConfig.DEFINITION, RiskConfig.HTTP_HOST, RiskConfig.HTTP_PORT, RiskConfig.STATE_DIR),
    LEDGER("ledger-service", "ledger", LedgerConfig.DEFINITION, LedgerConfig.HTTP_HOST, LedgerConfig.HTTP_PORT,
            LedgerConfig.DATA_DIR),
    RECONCILER("reconciler", "reconciler", ReconcilerConfig.DEFINITION, ReconcilerConfig.HTTP_HOST,
            ReconcilerConfig.HTTP_PORT, ReconcilerConfig.STATE_DIR),
    NOTIFIER("notifier", "notifier", NotifierConfig.DEFINITION, NotifierConfig.HTTP_HOST, NotifierConfig.HTTP_PORT,
            NotifierConfig.DATA_DIR),
    CONSOLE("console", "console", ConsoleConfig.DEFINITION, ConsoleConfig.HTTP_HOST, ConsoleConfig.HTTP_PORT, null),
    SANDBOX("provider-sandbox", "sandbox", SandboxConfig.DEFINITION, SandboxConfig.HTTP_HOST, SandboxConfig.HTTP_PORT,
            null);

    final String deployName;
    final String imageArgument;
    final ConfigDef definition;
    private final String httpHostKey;
    private final String httpPortKey;
    private final String stateDirectoryKey;

    NgaoService(String deployName, String imageArgument, ConfigDef definition, String httpHostKey,
                String httpPortKey, String stateDirectoryKey) {
        this.deployName = deployName;
        this.imageArgument = imageArgument;
        this.definition = definition;
        this.httpHostKey = httpHostKey;
        this.httpPortKey = httpPortKey;
        this.stateDirectoryKey = stateDirectoryKey;
    }

    static Optional<NgaoService> byDeployName(String name) {
        return Arrays.stream(values()).filter(service -> service.deployName.equals(name)).findFirst();
    }

    static Set<String> deployNames() {
        return Arrays.stream(values()).map(service -> service.deployName).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every NGAO_* variable this service reads. */
    Set<String> variables() {
        return definition.names().stream().map(EnvironmentConfig::variableName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The variables of keys without a default: the process refuses to start without them. */
    Set<String> requiredVariables() {
        return definition.configKeys().values().stream()
                .filter(key -> key.defaultValue == ConfigDef.NO_DEFAULT_VALUE)
                .map(key -> EnvironmentConfig.variableName(key.name))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The names in {@code used} that start with NGAO_ but are no variable of this service (typos, strays). */
    Set<String> unknownVariables(Set<String> used) {
        Set<String> known = variables();
        return used.stream().filter(name -> name.startsWith(EnvironmentConfig.PREFIX))
                .filter(name -> !known.contains(name)).collect(Collectors.toCollection(TreeSet::new));
    }

    Optional<String> httpHostVariable() {
        return Optional.ofNullable(httpHostKey).map(EnvironmentConfig::variableName);
    }

    Optional<String> httpPortVariable() {
        return Optional.ofNullable(httpPortKey).map(EnvironmentConfig::variableName);
    }

    /** The port the service listens on unless its variable says otherwise. */
    Optional<Integer> defaultHttpPort() {
        return Optional.ofNullable(httpPortKey)
                .map(key -> (Integer) definition.configKeys().get(key).defaultValue);
    }

    Optional<String> stateDirectoryVariable() {
        return Optional.ofNullable(stateDirectoryKey).map(EnvironmentConfig::variableName);
    }
}
