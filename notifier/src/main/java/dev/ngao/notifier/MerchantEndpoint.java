package dev.ngao.notifier;

import java.net.URI;
import java.util.List;

/**
 * Where one merchant receives its notifications, and the secrets that sign them (all active ones, the
 * newest first, during a rotation). The record's string form hides the secrets.
 */
public record MerchantEndpoint(String merchantId, URI url, List<WebhookSecret> secrets) {

    public MerchantEndpoint {
        secrets = List.copyOf(secrets);
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("merchant " + merchantId + " has no secret");
        }
    }
}
