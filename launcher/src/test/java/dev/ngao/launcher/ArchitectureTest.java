package dev.ngao.launcher;

import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import dev.ngao.schemas.topics.Writer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of the code base's shape, checked on its sources. */
class ArchitectureTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Service modules and the packages that are theirs alone. */
    private static final Map<String, String> SERVICE_PACKAGES = Map.of(
            "ingest-service", "dev.ngao.ingest",
            "risk-streams", "dev.ngao.risk",
            "ledger-service", "dev.ngao.ledger",
            "reconciler", "dev.ngao.reconciler",
            "notifier", "dev.ngao.notifier",
            "console", "dev.ngao.console");

    @Test
    void shouldSpellTopicNamesOnlyInTheSchemasModuleBecauseTopicsAreDeclaredOnce() {
        List<String> offenders = new ArrayList<>();
        for (Path source : mainSources()) {
            if (source.startsWith(ROOT.resolve("schemas"))) {
                continue;
            }
            String text = read(source);
            for (Topic<?, ?> topic : Topics.ALL) {
                if (text.contains("\"" + topic.name() + "\"")) {
                    offenders.add(ROOT.relativize(source) + " spells " + topic.name());
                }
            }
        }
        assertThat(offenders).as("topic names written outside schemas/").isEmpty();
    }

    @Test
    void shouldKeepServicesIndependentBecauseTheyTalkOnlyThroughKafkaTopics() {
        List<String> offenders = new ArrayList<>();
        SERVICE_PACKAGES.forEach((module, ownPackage) -> {
            for (Path source : sourcesOf(ROOT.resolve(module).resolve("src/main/java"))) {
                String text = read(source);
                SERVICE_PACKAGES.values().stream()
                        .filter(otherPackage -> !otherPackage.equals(ownPackage))
                        .filter(otherPackage -> text.contains("import " + otherPackage + "."))
                        .forEach(otherPackage -> offenders.add(ROOT.relativize(source) + " imports " + otherPackage));
            }
        });
        assertThat(offenders).as("services importing each other").isEmpty();
    }

    @Test
    void shouldGiveEveryTopicExactlyOneWriterAndAUniqueName() {
        Set<String> names = new HashSet<>();
        for (Topic<?, ?> topic : Topics.ALL) {
            assertThat(names.add(topic.name())).as("duplicate topic %s", topic.name()).isTrue();
            assertThat(topic.writer()).isNotNull();
        }
        assertThat(Topics.writtenBy(Writer.RISK_STREAMS)).contains(Topics.RISK_DECISIONS);
        assertThat(Topics.writtenBy(Writer.INGEST_SERVICE)).contains(Topics.PAYMENT_REQUESTS);
        assertThat(Topics.writtenBy(Writer.LEDGER_SERVICE)).contains(Topics.LEDGER_ENTRIES);
    }

    @Test
    void shouldKeepAuditTopicsAtLeastTwelveMonthsBecausePciDssAsksForIt() {
        Topics.ALL.stream().filter(topic -> topic.name().startsWith("audit."))
                .forEach(topic -> assertThat(topic.retention().toDays()).as(topic.name()).isGreaterThanOrEqualTo(365));
    }

    private static List<Path> mainSources() {
        try (Stream<Path> modules = Files.list(ROOT)) {
            return modules.filter(module -> Files.isDirectory(module.resolve("src/main/java")))
                    .flatMap(module -> sourcesOf(module.resolve("src/main/java")).stream())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> sourcesOf(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
