package dev.ngao.providers;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of provider Ngao carries payments through, each with the id used on every event
 * ({@code ProviderEvent.provider}, {@code PaymentRequest.provider}) and the zone its settlement day and
 * report columns are in.
 */
public enum ProviderKind {
    MOBILE_MONEY_HUB("mobile-money-hub", ZoneOffset.UTC),
    PAGOEFECTIVO("pagoefectivo", ZoneId.of("America/Lima")),
    CARD_NETWORK("card-network", ZoneOffset.UTC);

    private final String id;
    private final ZoneId settlementZone;

    ProviderKind(String id, ZoneId settlementZone) {
        this.id = id;
        this.settlementZone = settlementZone;
    }

    public String id() {
        return id;
    }

    /** The zone of the provider's settlement day and of the local times in its reports. */
    public ZoneId settlementZone() {
        return settlementZone;
    }

    public static Optional<ProviderKind> ofId(String id) {
        return Arrays.stream(values()).filter(kind -> kind.id.equals(id)).findFirst();
    }
}
