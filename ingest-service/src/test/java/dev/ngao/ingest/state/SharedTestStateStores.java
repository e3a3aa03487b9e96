package dev.ngao.ingest.state;

/**
 * One {@link IngestStateStores} for the fixtures of a test JVM that do not manage one themselves: a temporary
 * directory, closed and deleted when the JVM exits. Each store opened in it has a directory of its own.
 */
public final class SharedTestStateStores {

    private static final IngestStateStores SHARED = IngestStateStores.temporary();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SHARED::close, "ingest-test-state-stores"));
    }

    private SharedTestStateStores() {
    }

    public static IngestStateStores get() {
        return SHARED;
    }
}
