package dev.ngao.platform.observability;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceparentTest {

    /** The example of the W3C specification. */
    private static final String EXAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void shouldReadEveryFieldWhenTheHeaderIsValid() {
        // When the specification's example is parsed
        Traceparent trace = Traceparent.parse(EXAMPLE).orElseThrow();

        // Then its fields are read and it prints back the same
        assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(trace.parentId()).isEqualTo("00f067aa0ba902b7");
        assertThat(trace.flags()).isEqualTo(1);
        assertThat(trace).hasToString(EXAMPLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-zz"
    })
    void shouldRefuseTheHeaderWhenItBreaksTheSpecification(String header) {
        assertThat(Traceparent.parse(header)).isEmpty();
    }

    @Test
    void shouldReadALaterVersionWhenItOnlyAppendsFields() {
        assertThat(Traceparent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later"))
                .map(Traceparent::traceId).contains("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void shouldKeepTheTraceWithANewSpanWhenContinued() {
        // When an incoming trace is continued, and when a malformed one or none arrives
        Traceparent continued = Traceparent.continueFrom(EXAMPLE);
        Traceparent fromBad = Traceparent.continueFrom("nonsense");
        Traceparent fromNone = Traceparent.continueFrom(null);

        // Then the trace id stays with a new span id; the others start new traces
        assertThat(continued.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(continued.parentId()).isNotEqualTo("00f067aa0ba902b7").matches("[0-9a-f]{16}");
        assertThat(fromBad.traceId()).isNotEqualTo(fromNone.traceId()).matches("[0-9a-f]{32}");
    }

    @Test
    void shouldTravelOnKafkaHeadersWhenWrittenAndRead() {
        // Given a record's headers holding an older trace
        RecordHeaders headers = new RecordHeaders();
        Traceparent.newTrace().writeTo(headers);
        Traceparent trace = Traceparent.parse(EXAMPLE).orElseThrow();

        // When another trace is written over it
        trace.writeTo(headers);

        // Then one header remains, and reads back as written
        assertThat(headers.headers(Traceparent.HEADER)).hasSize(1);
        assertThat(Traceparent.from(headers)).contains(trace);
        assertThat(Traceparent.from(new RecordHeaders())).isEmpty();
    }

    @Test
    void shouldRefuseIdsOfTheWrongShapeWhenBuilt() {
        assertThatThrownBy(() -> new Traceparent("abc", "00f067aa0ba902b7", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Traceparent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 256))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
