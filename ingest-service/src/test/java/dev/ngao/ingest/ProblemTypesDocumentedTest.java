package dev.ngao.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ngao.ingest.ops.OperationsRoutes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The problem types the OpenAPI document and the README name are exactly those the service sends, read from
 * its sources ({@link ProblemTypesInSource}): a type added, renamed or dropped in the code without its
 * documentation (or the reverse) fails the build. Tests run from the module directory.
 */
class ProblemTypesDocumentedTest {

    private static final String TYPE_BASE = "https://ngao.dev/problems/";
    private static final String SLUG = "[a-z]+(?:-[a-z]+)*";
    /** "`not-found` (404" and "404 `not-found`", as the descriptions name a type with its status. */
    private static final Pattern TYPE_THEN_STATUS = Pattern.compile("`(" + SLUG + ")` \\((\\d{3})");
    private static final Pattern STATUS_THEN_TYPE = Pattern.compile("\\b(\\d{3}) `(" + SLUG + ")`");
    private static final Pattern TYPE_URI = Pattern.compile(Pattern.quote(TYPE_BASE) + "(" + SLUG + ")");
    private static final Pattern README_ROW = Pattern.compile("^\\| `(" + SLUG + ")` \\| ([^|]+) \\|", Pattern.MULTILINE);

    private static ProblemTypesInSource sent;

    @BeforeAll
    static void readSources() throws IOException {
        sent = ProblemTypesInSource.scan(Path.of("src/main/java"), Path.of("../platform/src/main/java"));
    }

    @Test
    void shouldResolveEveryProblemTypeTheSourcesSend() {
        assertThat(sent.unexplained())
                .as("problem types passed in a form the scan cannot read; add it to INDIRECT_TYPE_ARGUMENTS "
                        + "with where its values are written")
                .isEmpty();
        // The scan sees the guard's types (platform), constants and the routes' literals
        assertThat(sent.types()).contains("missing-signature", "invalid-signature", "insufficient-scope",
                "rule-set-refused", "kyc-incomplete", "validation-failed", "uri-too-long");
    }

    @Test
    void shouldListInTheProblemSchemaExactlyTheTypesTheServiceSends() {
        List<String> documented = new ArrayList<>();
        OpenApiCoverage.document().at("/components/schemas/Problem/properties/type/enum")
                .forEach(type -> documented.add(type.asText()));

        assertThat(documented).as("Problem.type enum in openapi.yaml")
                .containsExactlyInAnyOrderElementsOf(sent.types().stream().map(type -> TYPE_BASE + type).toList());
    }

    @Test
    void shouldNameOnlyTypesTheServiceSendsWithTheirStatusesWhereverTheDocumentNamesOne() throws IOException {
        String document = openApiText();

        assertNamedTypesAreSent(document, "openapi.yaml");
        Matcher uri = TYPE_URI.matcher(document);
        while (uri.find()) {
            assertThat(sent.types()).as("type URI in openapi.yaml").contains(uri.group(1));
        }
    }

    @Test
    void shouldListInTheReadmeErrorTableExactlyTheTypesTheServiceSends() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String errors = readme.substring(readme.indexOf("\n## Errors\n"));
        errors = errors.substring(0, errors.indexOf("\n## ", 1) < 0 ? errors.length() : errors.indexOf("\n## ", 1));
        Set<String> listed = new TreeSet<>();
        Matcher row = README_ROW.matcher(errors);
        while (row.find()) {
            listed.add(row.group(1));
            String status = row.group(2).trim();
            if (status.matches("\\d{3}") && !sent.statuses().get(row.group(1)).isEmpty()) {
                assertThat(sent.statuses().get(row.group(1))).as("status of " + row.group(1) + " in the README")
                        .contains(Integer.valueOf(status));
            }
        }

        assertThat(listed).as("README error table").containsExactlyInAnyOrderElementsOf(sent.types());
        assertNamedTypesAreSent(readme, "README.md");
    }

    /** Each type a text names next to a status is sent, with that status where the source says which. */
    private static void assertNamedTypesAreSent(String text, String where) {
        List<String[]> named = new ArrayList<>();
        Matcher typeThenStatus = TYPE_THEN_STATUS.matcher(text);
        while (typeThenStatus.find()) {
            named.add(new String[] {typeThenStatus.group(1), typeThenStatus.group(2)});
        }
        Matcher statusThenType = STATUS_THEN_TYPE.matcher(text);
        while (statusThenType.find()) {
            named.add(new String[] {statusThenType.group(2), statusThenType.group(1)});
        }
        for (String[] typeAndStatus : named) {
            String type = typeAndStatus[0];
            int status = Integer.parseInt(typeAndStatus[1]);
            if (status < 400) {
                continue;
            }
            assertThat(sent.types()).as("`" + type + "` (" + status + ") named in " + where + " is not sent")
                    .contains(type);
            if (!sent.statuses().get(type).isEmpty()) {
                assertThat(sent.statuses().get(type)).as("status of " + type + " in " + where).contains(status);
            }
        }
    }

    private static String openApiText() throws IOException {
        try (InputStream yaml = ProblemTypesDocumentedTest.class.getResourceAsStream(OperationsRoutes.OPENAPI_RESOURCE)) {
            return new String(yaml.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
