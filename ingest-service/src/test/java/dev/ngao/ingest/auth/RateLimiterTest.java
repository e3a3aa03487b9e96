package dev.ngao.ingest.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterTest {

    @Test
    void shouldParseRulesOfTheDocumentedForm() {
        RateLimitRule cards = RateLimitRule.parse("POST /v1/cards 5/1m");
        RateLimitRule payments = RateLimitRule.parse("* /v1/payments* 1000/1s");

        assertThat(cards.permits()).isEqualTo(5);
        assertThat(cards.period()).isEqualTo(Duration.ofMinutes(1));
        assertThat(cards.matches("POST", "/v1/cards")).isTrue();
        assertThat(cards.matches("post", "/v1/cards/")).isTrue();
        assertThat(cards.matches("GET", "/v1/cards")).isFalse();
        assertThat(cards.matches("POST", "/v1/cards/card_1/freeze")).isFalse();
        assertThat(payments.matches("GET", "/v1/payments/txn_1")).isTrue();
        assertThat(payments.matches("POST", "/v1/payments")).isTrue();
        assertThat(RateLimitRule.parse("GET /v1/reports 10/2h").period()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void shouldRefuseMalformedRules() {
        for (String text : List.of("POST /v1/cards 5", "POST v1/cards 5/1m", "POST /v1/cards 0/1m",
                "POST /v1/cards 5/1d", "/v1/cards 5/1m")) {
            assertThatThrownBy(() -> RateLimitRule.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldLimitEachKeySeparatelyAndTellHowLongToWait() {
        RateLimiter limiter = new RateLimiter(List.of(RateLimitRule.parse("POST /v1/cards 5/1m")));

        for (int attempt = 0; attempt < 5; attempt++) {
            assertThat(limiter.tryAcquire("key-a", "POST", "/v1/cards")).isEmpty();
        }
        assertThat(limiter.tryAcquire("key-a", "POST", "/v1/cards")).hasValueSatisfying(seconds ->
                assertThat(seconds).isBetween(1L, 12L));
        assertThat(limiter.tryAcquire("key-b", "POST", "/v1/cards")).isEmpty();
        assertThat(limiter.tryAcquire("key-a", "GET", "/v1/cards")).as("no rule matches").isEmpty();
    }

    @Test
    void shouldApplyOnlyTheFirstMatchingRule() {
        RateLimiter limiter = new RateLimiter(List.of(RateLimitRule.parse("POST /v1/cards 1/1h"),
                RateLimitRule.parse("* /v1/* 100/1h")));

        assertThat(limiter.tryAcquire("key-a", "POST", "/v1/cards")).isEmpty();
        assertThat(limiter.tryAcquire("key-a", "POST", "/v1/cards")).isPresent();
        assertThat(limiter.tryAcquire("key-a", "POST", "/v1/payments")).isEmpty();
    }
}
