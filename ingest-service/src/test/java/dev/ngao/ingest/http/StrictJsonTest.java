package dev.ngao.ingest.http;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StrictJsonTest {

    @Test
    void shouldAcceptOneWellFormedValue() {
        assertThat(wellFormed("{\"a\":\"1\",\"b\":{\"c\":[1,2]}}")).isTrue();
        assertThat(wellFormed("  {\"a\":null}  \n")).isTrue();
    }

    @Test
    void shouldRefuseRepeatedKeyWhenAnObjectHasOneTwice() {
        assertThat(wellFormed("{\"amount\":\"1.00\",\"amount\":\"1000.00\"}")).isFalse();
        assertThat(wellFormed("{\"a\":{\"b\":1,\"b\":2}}")).isFalse();
    }

    @Test
    void shouldRefuseTrailingContentTruncationAndNothing() {
        assertThat(wellFormed("{\"a\":1} {\"a\":2}")).isFalse();
        assertThat(wellFormed("{\"a\":1}x")).isFalse();
        assertThat(wellFormed("{\"a\":")).isFalse();
        assertThat(wellFormed("")).isFalse();
    }

    @Test
    void shouldRefuseDeepNestingAndHugeNumbers() {
        assertThat(wellFormed("[".repeat(StrictJson.MAXIMUM_NESTING_DEPTH + 1) + "]".repeat(StrictJson.MAXIMUM_NESTING_DEPTH + 1)))
                .isFalse();
        assertThat(wellFormed("[".repeat(StrictJson.MAXIMUM_NESTING_DEPTH) + "]".repeat(StrictJson.MAXIMUM_NESTING_DEPTH)))
                .isTrue();
        assertThat(wellFormed("{\"a\":" + "9".repeat(StrictJson.MAXIMUM_NUMBER_LENGTH + 1) + "}")).isFalse();
    }

    private static boolean wellFormed(String text) {
        return StrictJson.wellFormed(Buffer.buffer(text));
    }
}
