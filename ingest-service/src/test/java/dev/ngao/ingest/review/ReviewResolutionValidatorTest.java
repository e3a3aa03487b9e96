package dev.ngao.ingest.review;

import dev.ngao.events.Outcome;
import dev.ngao.ingest.http.TestBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ReviewResolutionValidatorTest {

    private final ReviewResolutionValidator validator = new ReviewResolutionValidator();

    @Test
    void shouldAcceptApproveAndDeclineWithOrWithoutNote() {
        ReviewResolutionRequest approve = TestBodies.valid(validator.validate(Map.of("outcome", "APPROVE",
                "note", "called the customer, genuine")));
        ReviewResolutionRequest decline = TestBodies.valid(validator.validate(Map.of("outcome", "DECLINE")));

        assertThat(approve.outcome()).isEqualTo(Outcome.APPROVE);
        assertThat(approve.note()).isEqualTo("called the customer, genuine");
        assertThat(decline.outcome()).isEqualTo(Outcome.DECLINE);
        assertThat(decline.note()).isNull();
    }

    static Stream<Arguments> invalidResolutions() {
        return Stream.of(
                arguments("outcome missing", Map.of("note", "x"), "outcome"),
                arguments("outcome REVIEW", Map.of("outcome", "REVIEW"), "outcome"),
                arguments("outcome in lower case", Map.of("outcome", "approve"), "outcome"),
                arguments("note too long", Map.of("outcome", "APPROVE", "note", "x".repeat(501)), "note"),
                arguments("note not text", Map.of("outcome", "APPROVE", "note", 5), "note"),
                arguments("unknown field", Map.of("outcome", "APPROVE", "analyst", "bob"), "analyst"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResolutions")
    void shouldRefuseFieldWhenInvalid(String description, Map<String, Object> body, String field) {
        assertThat(TestBodies.refusedFields(validator.validate(body))).containsExactly(field);
    }
}
