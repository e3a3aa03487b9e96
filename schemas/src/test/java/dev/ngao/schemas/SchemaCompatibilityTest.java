package dev.ngao.schemas;

import dev.ngao.schemas.registry.Compatibility;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's compatibility gate: every current contract must read what its last released version wrote
 * (BACKWARD, what the registries enforce at run time), checked here so a breaking change fails the build
 * instead of the first producer that meets a strict registry. Released versions live in
 * {@code src/test/resources/released}.
 */
class SchemaCompatibilityTest {

    /** The shared named types, parsed first so the records can refer to them (as the Avro plugin does). */
    private static final List<String> SHARED_TYPES_IN_ORDER =
            List.of("Money.avsc", "PaymentType.avsc", "AccountKind.avsc", "Outcome.avsc");

    private static final Map<String, Schema> RELEASED = loadReleased();

    static Stream<String> releasedNames() {
        return RELEASED.keySet().stream();
    }

    @Test
    void shouldFindReleasedVersionsWhenResourcesAreLoaded() {
        // Given the released directory
        // When it was loaded
        // Then every contract of version 1 is there, so the gate is not vacuously green
        assertThat(RELEASED.keySet()).containsAll(Set.of(
                "dev.ngao.events.Money", "dev.ngao.events.PaymentType", "dev.ngao.events.AccountKind",
                "dev.ngao.events.Outcome", "dev.ngao.events.PaymentRequest", "dev.ngao.events.ProviderEvent",
                "dev.ngao.events.RiskDecision", "dev.ngao.events.JournalEntry", "dev.ngao.events.AuditRecord"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedNames")
    void shouldKeepCurrentCounterpartWhenSchemaWasReleased(String fullName) {
        // Given a released schema
        // When its generated class is looked up
        Class<?> generated = SpecificData.get().getClass(RELEASED.get(fullName));

        // Then the contract still exists: removing or renaming one breaks every consumer of its topic
        assertThat(generated).as("generated class of released schema %s", fullName).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedNames")
    void shouldReadReleasedVersionWhenCurrentSchemaEvolved(String fullName) {
        // Given a released schema and the current generated one
        Schema released = RELEASED.get(fullName);
        Class<?> generated = SpecificData.get().getClass(released);
        assertThat(generated).as("generated class of released schema %s", fullName).isNotNull();
        Schema current = SpecificData.get().getSchema(generated);

        // When the current schema is checked as reader of data the released one wrote
        Optional<String> problems = backwardIncompatibilities(current, released);

        // Then it reads it
        assertThat(problems).as("%s is not BACKWARD compatible with its released version", fullName).isEmpty();
    }

    @Test
    void shouldReportIncompatibleWhenFieldWithoutDefaultIsAdded() {
        // Given the released RiskDecision and a copy with a new field that has no default
        Schema released = RELEASED.get("dev.ngao.events.RiskDecision");
        List<Schema.Field> fields = copiedFields(released);
        fields.add(new Schema.Field("channel", Schema.create(Schema.Type.STRING), "How the request arrived."));
        Schema mutated = Schema.createRecord(released.getName(), released.getDoc(), released.getNamespace(), false,
                fields);

        // When the gate checks it
        Optional<String> problems = backwardIncompatibilities(mutated, released);

        // Then it is refused, naming the field
        assertThat(problems).hasValueSatisfying(report -> assertThat(report).contains("channel"));
    }

    @Test
    void shouldReportIncompatibleWhenFieldTypeChanges() {
        // Given the released Money and a copy whose amount became a string
        Schema released = RELEASED.get("dev.ngao.events.Money");
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : released.getFields()) {
            Schema type = field.name().equals("amountMinor") ? Schema.create(Schema.Type.STRING) : field.schema();
            fields.add(new Schema.Field(field, type));
        }
        Schema mutated = Schema.createRecord(released.getName(), released.getDoc(), released.getNamespace(), false,
                fields);

        // When the gate checks it
        Optional<String> problems = backwardIncompatibilities(mutated, released);

        // Then it is refused as a type mismatch of the first field (Avro locates fields by position)
        assertThat(problems).hasValueSatisfying(report -> assertThat(report).contains("TYPE_MISMATCH", "/fields/0"));
    }

    @Test
    void shouldReportIncompatibleWhenEnumSymbolIsRemoved() {
        // Given the released Outcome (no default symbol) and a copy without DECLINE
        Schema released = RELEASED.get("dev.ngao.events.Outcome");
        Schema mutated = Schema.createEnum(released.getName(), released.getDoc(), released.getNamespace(),
                List.of("APPROVE", "REVIEW"));

        // When the gate checks it
        Optional<String> problems = backwardIncompatibilities(mutated, released);

        // Then it is refused: a released DECLINE could no longer be read
        assertThat(problems).hasValueSatisfying(report -> assertThat(report).contains("DECLINE"));
    }

    @Test
    void shouldAcceptWhenFieldWithDefaultIsAdded() {
        // Given the released RiskDecision and a copy with a new optional field
        Schema released = RELEASED.get("dev.ngao.events.RiskDecision");
        List<Schema.Field> fields = copiedFields(released);
        Schema optionalString = Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
        fields.add(new Schema.Field("channel", optionalString, "How the request arrived.", Schema.Field.NULL_DEFAULT_VALUE));
        Schema evolved = Schema.createRecord(released.getName(), released.getDoc(), released.getNamespace(), false,
                fields);

        // When the gate checks it
        // Then it passes: this is how contracts are meant to grow
        assertThat(backwardIncompatibilities(evolved, released)).isEmpty();
    }

    /** The gate itself: empty when {@code current} reads {@code released} data, else why not. */
    private static Optional<String> backwardIncompatibilities(Schema current, Schema released) {
        return Compatibility.isBackwardCompatible(current, released)
                ? Optional.empty()
                : Optional.of(Compatibility.incompatibilities(current, released));
    }

    private static List<Schema.Field> copiedFields(Schema record) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            // A field belongs to one record; a copy is needed to put it in another.
            fields.add(new Schema.Field(field, field.schema()));
        }
        return fields;
    }

    /** Released schemas by full name, parsed with one parser: shared types first, then the rest by file name. */
    private static Map<String, Schema> loadReleased() {
        try {
            Path directory = Path.of(SchemaCompatibilityTest.class.getResource("/released").toURI());
            List<Path> files;
            try (Stream<Path> listing = Files.list(directory)) {
                files = listing.filter(file -> file.getFileName().toString().endsWith(".avsc"))
                        .sorted(Comparator.comparingInt(SchemaCompatibilityTest::parseOrder)
                                .thenComparing(file -> file.getFileName().toString()))
                        .toList();
            }
            Schema.Parser parser = new Schema.Parser();
            Map<String, Schema> byFullName = new LinkedHashMap<>();
            for (Path file : files) {
                Schema schema = parser.parse(file.toFile());
                byFullName.put(schema.getFullName(), schema);
            }
            return byFullName;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("Cannot read the released schemas", e);
        }
    }

    private static int parseOrder(Path file) {
        int index = SHARED_TYPES_IN_ORDER.indexOf(file.getFileName().toString());
        return index < 0 ? SHARED_TYPES_IN_ORDER.size() : index;
    }
}
