package dev.ngao.platform;

/**
 * A component the launcher starts in a fixed order and stops in reverse. {@link #start()} returns
 * once the component serves; {@link #close()} releases everything and may be called once.
 */
public interface ManagedService extends AutoCloseable {

    String name();

    void start() throws Exception;

    @Override
    void close();
}
