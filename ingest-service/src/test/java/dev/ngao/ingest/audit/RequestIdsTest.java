package dev.ngao.ingest.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void shouldKeepCallersIdWhenWellFormed() {
        assertThat(RequestIds.acceptOrCreate("order-42.attempt_1")).isEqualTo("order-42.attempt_1");
        assertThat(RequestIds.acceptOrCreate("123e4567-e89b-12d3-a456-426614174000"))
                .isEqualTo("123e4567-e89b-12d3-a456-426614174000");
    }

    @Test
    void shouldMakeNewIdWhenCallersIsAbsentMalformedTooLongOrLooksLikePii() {
        assertThat(RequestIds.acceptOrCreate(null)).matches(UUID_PATTERN);
        assertThat(RequestIds.acceptOrCreate("")).matches(UUID_PATTERN);
        assertThat(RequestIds.acceptOrCreate("a b")).matches(UUID_PATTERN);
        assertThat(RequestIds.acceptOrCreate("x".repeat(65))).matches(UUID_PATTERN);
        assertThat(RequestIds.acceptOrCreate("0712345678")).matches(UUID_PATTERN);
        assertThat(RequestIds.acceptOrCreate("id\r\nX-Injected: 1")).matches(UUID_PATTERN);
    }
}
