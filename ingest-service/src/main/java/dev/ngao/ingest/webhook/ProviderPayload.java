package dev.ngao.ingest.webhook;

import dev.ngao.ingest.http.FieldError;

import java.util.List;
import java.util.Map;

/**
 * Reads one provider's webhook payload (a JSON object) into a {@link ProviderNotification}. Unknown fields
 * are ignored: providers add fields to their payloads without notice, and the call is already signed.
 */
public interface ProviderPayload {

    Parsed parse(Map<String, Object> json);

    /** The notification, or every refused field. */
    sealed interface Parsed {
    }

    record Valid(ProviderNotification notification) implements Parsed {
    }

    record Invalid(List<FieldError> errors) implements Parsed {
    }
}
