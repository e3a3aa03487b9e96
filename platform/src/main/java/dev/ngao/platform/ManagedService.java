package dev.ngao.platform;

import java.util.concurrent.CompletableFuture;

/**
 * A component the launcher starts in a fixed order and stops in reverse. {@link #start()} returns
 * once the component serves; {@link #close()} releases everything and may be called more than once.
 */
public interface ManagedService extends AutoCloseable {

    String name();

    void start() throws Exception;

    /**
     * Completes, with the cause, if the service stops serving on its own because of a failure (a
     * process running it should then exit so a supervisor restarts it). Never completes otherwise.
     */
    default CompletableFuture<Throwable> failure() {
        return new CompletableFuture<>();
    }

    @Override
    void close();
}
