package dev.ngao.sandbox.provider;

import dev.ngao.events.ProviderStatus;
import dev.ngao.providers.ProviderKind;

import java.util.Map;

/** One webhook a simulated provider means to send: its event id, the status it tells, and its JSON body. */
public record Webhook(ProviderKind kind, String transactionId, String eventId, ProviderStatus status,
                      Map<String, Object> body) {

    public Webhook {
        body = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(body));
    }
}
