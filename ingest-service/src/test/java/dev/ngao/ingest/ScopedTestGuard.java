package dev.ngao.ingest;

import dev.ngao.platform.auth.Caller;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stands in for authentication in tests: attaches a caller with the scopes and merchant two test headers
 * name, as the real guard does for a key. Never mounted outside tests.
 */
public final class ScopedTestGuard implements Handler<RoutingContext> {

    public static final String SCOPES_HEADER = "X-Test-Scopes";
    public static final String MERCHANT_HEADER = "X-Test-Merchant";
    public static final String KEY_ID = "test-key";

    private final String defaultMerchant;

    public ScopedTestGuard(String defaultMerchant) {
        this.defaultMerchant = defaultMerchant;
    }

    @Override
    public void handle(RoutingContext context) {
        String scopes = context.request().getHeader(SCOPES_HEADER);
        String merchant = context.request().getHeader(MERCHANT_HEADER);
        new Caller(KEY_ID, merchant == null ? defaultMerchant : merchant, scopes == null || scopes.isBlank() ? Set.of()
                : Arrays.stream(scopes.split(",")).map(String::trim).collect(Collectors.toSet())).attachTo(context);
        context.next();
    }
}
