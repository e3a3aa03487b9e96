package dev.ngao.ingest.webhook;

import dev.ngao.events.ProviderStatus;
import dev.ngao.events.StatusTransition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class StatusTransitionsTest {

    @ParameterizedTest(name = "{0} then {1}: {2}")
    @CsvSource({
            ",          PENDING,   APPLIED",
            ",          EXPIRED,   APPLIED",
            "PENDING,   SUCCEEDED, APPLIED",
            "PENDING,   FAILED,    APPLIED",
            "PENDING,   EXPIRED,   APPLIED",
            "SUCCEEDED, REVERSED,  APPLIED",
            "PENDING,   PENDING,   DUPLICATE_STATUS",
            "EXPIRED,   EXPIRED,   DUPLICATE_STATUS",
            "SUCCEEDED, PENDING,   STALE",
            "EXPIRED,   PENDING,   STALE",
            "REVERSED,  SUCCEEDED, STALE",
            "REVERSED,  PENDING,   STALE",
            "EXPIRED,   SUCCEEDED, CONFLICT",
            "FAILED,    SUCCEEDED, CONFLICT",
            "SUCCEEDED, FAILED,    CONFLICT",
            "SUCCEEDED, EXPIRED,   CONFLICT",
            "PENDING,   REVERSED,  CONFLICT",
            "EXPIRED,   REVERSED,  CONFLICT",
            "REVERSED,  FAILED,    CONFLICT",
    })
    void shouldNeverMoveATransactionBackwards(ProviderStatus current, ProviderStatus incoming, StatusTransition expected) {
        assertThat(StatusTransitions.judge(current, incoming)).isEqualTo(expected);
    }
}
