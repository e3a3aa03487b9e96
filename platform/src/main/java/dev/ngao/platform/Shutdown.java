package dev.ngao.platform;

import io.vertx.core.Vertx;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bounded steps of a service's {@link ManagedService#close()}: each waits at most its timeout and, when its
 * part does not stop cleanly, says so in the service's log instead of throwing, so the parts after it still close.
 */
public final class Shutdown {

    private Shutdown() {
    }

    /** Closes {@code vertx} (null: nothing to close), waiting at most {@code timeout}. */
    public static void closeVertx(Vertx vertx, Duration timeout, Logger log) {
        if (vertx == null) {
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while Vert.x was closing");
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Vert.x did not close cleanly: {}", e.toString());
        }
    }

    /**
     * Waits at most {@code timeout} for {@code worker} (told to stop already) to end.
     *
     * @return whether it ended
     */
    public static boolean join(Thread worker, Duration timeout, Logger log) {
        try {
            worker.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            log.warn("Thread {} did not stop within {} ms", worker.getName(), timeout.toMillis());
            return false;
        }
        return true;
    }
}
