package dev.ngao.ingest.webhook;

import java.util.concurrent.CompletableFuture;

/** Waits until the provider status view holds every provider event written so far. */
@FunctionalInterface
public interface ProviderStatusSync {

    CompletableFuture<Void> awaitEnd();
}
