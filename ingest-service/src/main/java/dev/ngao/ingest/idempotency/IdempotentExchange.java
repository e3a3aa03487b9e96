package dev.ngao.ingest.idempotency;

import dev.ngao.ingest.http.Answer;
import dev.ngao.ingest.http.AnswerRecorder;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The winner's side of an idempotent request: records the route's answer before it is sent. A 2xx answer
 * is completed (retries replay it) and sent once Kafka holds it; any other answer (a refusal, a failure)
 * releases the key, so a corrected retry may use it. A response that ends without passing through the
 * recorder (a problem sent directly, a failure, a caller gone before any answer) releases too, unless the
 * route said the answer is provisional ({@link #recordLater}): then the key stays claimed until the real
 * outcome is known and recorded.
 */
final class IdempotentExchange implements AnswerRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotentExchange.class);

    private enum Stage { OPEN, DEFERRED, DONE }

    private final ClaimStore store;
    private final ClaimTicket ticket;
    private final RoutingContext context;
    private Stage stage = Stage.OPEN;

    IdempotentExchange(ClaimStore store, ClaimTicket ticket, RoutingContext context) {
        this.store = store;
        this.ticket = ticket;
        this.context = context;
    }

    /** Puts this recorder in the routing context and watches for the response's end. */
    void begin() {
        context.put(AnswerRecorder.CONTEXT_KEY, this);
        context.addEndHandler(ignored -> ended());
    }

    @Override
    public Future<Void> record(Answer answer) {
        if (stage != Stage.OPEN) {
            return Future.succeededFuture();
        }
        stage = Stage.DONE;
        return settle(answer);
    }

    @Override
    public void recordLater(Future<Answer> eventual) {
        if (stage != Stage.OPEN) {
            return;
        }
        stage = Stage.DEFERRED;
        eventual.onComplete(outcome -> {
            if (outcome.succeeded()) {
                settle(outcome.result());
            } else {
                release("write-failed");
            }
        });
    }

    private Future<Void> settle(Answer answer) {
        if (!answer.successful()) {
            return release("status-" + answer.status());
        }
        return Future.fromCompletionStage(store.complete(ticket, RecordedAnswer.of(answer)), context.vertx().getOrCreateContext())
                .recover(error -> {
                    // The work is done and answered; only the record is missing. Retries see the claim in
                    // progress until its lease runs out, then may redo the work: say so loudly.
                    LOG.error("Cannot record the answer of a {} claim ({}); its retries may redo it after the lease",
                            ticket.key().scope(), error.toString());
                    return Future.succeededFuture();
                });
    }

    private Future<Void> release(String reason) {
        return Future.fromCompletionStage(store.release(ticket, reason), context.vertx().getOrCreateContext())
                .recover(error -> {
                    LOG.warn("Cannot release a {} claim ({}); it frees itself when its lease runs out",
                            ticket.key().scope(), error.toString());
                    return Future.succeededFuture();
                });
    }

    private void ended() {
        if (stage == Stage.OPEN) {
            stage = Stage.DONE;
            release("ended-without-answer");
        }
    }
}
