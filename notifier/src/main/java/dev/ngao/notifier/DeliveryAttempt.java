package dev.ngao.notifier;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * One POST to a merchant: when, how long it took, and the HTTP status it got or the error that prevented
 * one (connection refused, timeout). Never a header or a body.
 */
record DeliveryAttempt(Instant attemptedAt, long durationMs, Integer httpStatus, String error) {

    boolean acknowledged() {
        return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("attemptedAt", attemptedAt.toString())
                .put("durationMs", durationMs)
                .put("httpStatus", httpStatus)
                .put("error", error);
    }

    static DeliveryAttempt fromJson(JsonObject json) {
        return new DeliveryAttempt(Instant.parse(json.getString("attemptedAt")), json.getLong("durationMs"),
                json.getInteger("httpStatus"), json.getString("error"));
    }
}
