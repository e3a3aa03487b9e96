package dev.ngao.deploy;

import dev.ngao.deploy.access.KafkaAccess;
import dev.ngao.deploy.access.KafkaAcl;
import dev.ngao.deploy.access.ServicePrincipal;
import dev.ngao.ingest.IngestService;
import dev.ngao.ledger.LedgerConfig;
import dev.ngao.notifier.NotifierConfig;
import dev.ngao.reconciler.ReconcilerConfig;
import dev.ngao.risk.RiskConfig;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import dev.ngao.schemas.topics.Writer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka access of every service, derived from Topics (dev.ngao.deploy.access), and the committed files
 * rendered from it: deploy/k8s/kafka-users.yaml and deploy/docker/kafka-setup.sh.
 */
class KafkaAccessTest {

    private static final Pattern TOPIC_REFERENCE = Pattern.compile("\\bTopics\\.([A-Z][A-Z0-9_]*)\\b");
    private static final String SCHEMA_STORE_TOPIC = Topics.SCHEMA_STORE.name();

    @Test
    void shouldLetTheLedgerWriteItsOwnTopicsAndNothingElse() {
        // When the ledger's ACLs are derived
        List<String> writable = KafkaAccess.writableTopics(ServicePrincipal.LEDGER);

        // Then it writes its three topics, and the embedded schema store's topic every service shares
        assertThat(writable).containsExactlyInAnyOrder("ledger.entries", "ledger.refusals", "audit.ledger",
                SCHEMA_STORE_TOPIC);
    }

    @Test
    void shouldLetTheNotifierWriteNoTopicOfItsOwnAndTheConsoleOnlyItsAccountsAndAuditTrail() {
        assertThat(KafkaAccess.writableTopics(ServicePrincipal.NOTIFIER)).containsExactly(SCHEMA_STORE_TOPIC);
        assertThat(KafkaAccess.writableTopics(ServicePrincipal.CONSOLE))
                .containsExactlyInAnyOrder("console.users", "audit.console", SCHEMA_STORE_TOPIC);
    }

    @Test
    void shouldGrantWriteOnEveryTopicToItsOneWriterOnly() {
        for (Topic<?, ?> topic : Topics.ALL) {
            if (topic.writer() == Writer.SCHEMA_STORE) {
                continue;
            }
            // Given the principals whose ACLs let them write the topic
            Set<String> writers = Arrays.stream(ServicePrincipal.values())
                    .filter(principal -> KafkaAccess.writableTopics(principal).contains(topic.name()))
                    .map(principal -> principal.userName).collect(Collectors.toSet());

            // Then there is exactly one, the writer Topics names
            assertThat(writers).as("principals that may write %s", topic.name()).hasSize(1);
            ServicePrincipal writer = Arrays.stream(ServicePrincipal.values())
                    .filter(principal -> principal.writes().contains(topic)).findFirst().orElseThrow();
            assertThat(writers).as(topic.name()).containsExactly(writer.userName);
        }
    }

    @Test
    void shouldKeepTheStreamsPrefixesOffEveryDeclaredTopic() {
        // A prefixed All on <application.id> must not reach a topic another service owns.
        for (ServicePrincipal principal : ServicePrincipal.values()) {
            for (KafkaAcl acl : KafkaAccess.acls(principal)) {
                if (acl.prefixed() && acl.resourceType() == KafkaAcl.ResourceType.TOPIC) {
                    assertThat(Topics.ALL).as("topics under the prefix %s of %s", acl.name(), principal.userName)
                            .noneMatch(topic -> topic.name().startsWith(acl.name()));
                }
            }
        }
    }

    @Test
    void shouldCoverEveryTopicAServicesCodeNames() {
        for (ServicePrincipal principal : ServicePrincipal.values()) {
            // Given the topics the module's main code refers to
            Path sources = DeployFiles.ROOT.resolve(principal.userName).resolve("src/main/java");
            String code = javaSources(sources);
            Set<String> named = new TreeSet<>();
            Matcher matcher = TOPIC_REFERENCE.matcher(code);
            while (matcher.find()) {
                topicConstant(matcher.group(1)).ifPresent(topic -> named.add(topic.name()));
            }
            // The platform's key store reads the API keys for every service that checks signed requests.
            if (code.contains("SignedRoutes")) {
                named.add(Topics.API_KEYS.name());
            }

            // Then its ACLs let it read each one
            Set<String> granted = Stream.concat(principal.writes().stream(), principal.reads().stream())
                    .map(Topic::name).collect(Collectors.toSet());
            assertThat(granted).as("topics %s's code names; list the missing ones in ServicePrincipal",
                    principal.userName).containsAll(named);
        }
    }

    @Test
    void shouldUseTheGroupAndApplicationIdsTheServicesConfigure() {
        assertThat(ServicePrincipal.RISK.streamsApplicationId()).contains(defaultOf(RiskConfig.DEFINITION, RiskConfig.APPLICATION_ID));
        assertThat(ServicePrincipal.RECONCILER.streamsApplicationId())
                .contains(defaultOf(ReconcilerConfig.DEFINITION, ReconcilerConfig.APPLICATION_ID));
        assertThat(ServicePrincipal.LEDGER.groupPrefix()).contains(defaultOf(LedgerConfig.DEFINITION, LedgerConfig.GROUP_ID));
        assertThat(ServicePrincipal.NOTIFIER.groupPrefix())
                .contains(defaultOf(NotifierConfig.DEFINITION, NotifierConfig.GROUP_ID));
        // ingest's groups are named after it (ingest-service-status-queries).
        assertThat(ServicePrincipal.INGEST.groupPrefix()).contains(IngestService.NAME);
    }

    @Test
    void shouldMatchTheCommittedKafkaUsersAndComposeSetupScript() {
        for (Map.Entry<String, String> file : KafkaAccess.generatedFiles().entrySet()) {
            assertThat(DeployFiles.read(DeployFiles.ROOT.resolve(file.getKey())))
                    .as("%s differs from what Topics gives: run deploy/generate-kafka-access.sh", file.getKey())
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void shouldGiveEveryComposeUserAPasswordFromTheEnvFile() {
        String script = KafkaAccess.composeSetupScript();
        String envScript = DeployFiles.read(DeployFiles.COMPOSE_ENV_SCRIPT);
        for (ServicePrincipal principal : ServicePrincipal.values()) {
            assertThat(script).contains("user " + principal.userName + " \"${" + principal.composePasswordVariable() + ":?");
            assertThat(envScript).contains("\n" + principal.composePasswordVariable() + "=");
        }
        assertThat(envScript).contains("\n" + KafkaAccess.passwordVariable(KafkaAccess.COMPOSE_SCHEMA_REGISTRY_USER) + "=");
    }

    private static String defaultOf(org.apache.kafka.common.config.ConfigDef definition, String key) {
        return String.valueOf(definition.configKeys().get(key).defaultValue);
    }

    private static java.util.Optional<Topic<?, ?>> topicConstant(String name) {
        try {
            Field field = Topics.class.getField(name);
            return field.get(null) instanceof Topic<?, ?> topic ? java.util.Optional.of(topic) : java.util.Optional.empty();
        } catch (NoSuchFieldException notATopic) {
            return java.util.Optional.empty();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static String javaSources(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.toString().endsWith(".java")).map(DeployFiles::read)
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
