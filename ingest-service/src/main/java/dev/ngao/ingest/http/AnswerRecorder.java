package dev.ngao.ingest.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * Sees a route's answer before it is sent, and may hold it back until the answer is kept somewhere (the
 * idempotency layer records the first answer to an idempotent request, to replay it to every retry).
 * Answers sent through {@link HttpReplies#reply} pass through it, also when the caller has already left:
 * a retry of a request whose caller timed out is exactly what must find the recorded answer.
 */
public interface AnswerRecorder {

    /** Routing-context entry holding the recorder of the current request, if any. */
    String CONTEXT_KEY = "ngao.answerRecorder";

    /** Keeps {@code answer}; the answer is sent once the returned future completes, which never fails. */
    Future<Void> record(Answer answer);

    /**
     * The answer about to be sent is provisional (a 503 after a Kafka write timed out, whose fate is not
     * known yet): what is recorded is {@code eventual} once it completes; its failure means nothing happened.
     */
    void recordLater(Future<Answer> eventual);

    static Optional<AnswerRecorder> of(RoutingContext context) {
        return Optional.ofNullable(context.get(CONTEXT_KEY));
    }
}
