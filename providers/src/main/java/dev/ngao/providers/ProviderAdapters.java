package dev.ngao.providers;

import dev.ngao.providers.card.CardNetworkAdapter;
import dev.ngao.providers.config.ProviderSettings;
import dev.ngao.providers.http.ResilientHttp;
import dev.ngao.providers.mobilemoney.MobileMoneyHubAdapter;
import dev.ngao.providers.pagoefectivo.PagoEfectivoAdapter;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The adapters of every configured provider, sharing one small scheduler for their retry waits (the waits
 * are timers, not blocked threads). Close it to stop that scheduler.
 */
public final class ProviderAdapters implements AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final Map<ProviderKind, ProviderAdapter> adapters = new EnumMap<>(ProviderKind.class);

    public ProviderAdapters(Map<ProviderKind, ProviderSettings> settings) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "provider-retries");
            thread.setDaemon(true);
            return thread;
        });
        settings.forEach((kind, providerSettings) -> adapters.put(kind, create(providerSettings, scheduler)));
    }

    /** The adapter of {@code settings}' kind. */
    public static ProviderAdapter create(ProviderSettings settings, ScheduledExecutorService scheduler) {
        ResilientHttp http = ResilientHttp.create(settings, scheduler);
        return switch (settings.kind()) {
            case MOBILE_MONEY_HUB -> new MobileMoneyHubAdapter(http);
            case PAGOEFECTIVO -> new PagoEfectivoAdapter(http);
            case CARD_NETWORK -> new CardNetworkAdapter(http);
        };
    }

    public Optional<ProviderAdapter> adapter(ProviderKind kind) {
        return Optional.ofNullable(adapters.get(kind));
    }

    /** The adapter for a provider id as events carry it ({@code ProviderEvent.provider}). */
    public Optional<ProviderAdapter> adapter(String providerId) {
        return ProviderKind.ofId(providerId).flatMap(this::adapter);
    }

    public Collection<ProviderAdapter> all() {
        return adapters.values();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
