package dev.ngao.risk.topology;

import dev.ngao.events.EmergencyStop;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.StopScope;
import dev.ngao.events.StopTraffic;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Operators' emergency stops, kept in force in the global {@value RiskTopology#STOPS_STORE} store (by
 * {@link GlobalStoreProcessors.Stops}), and the one question the decision task asks of them: does a stop in force cover this request? A stop covers every
 * request of its scope (everywhere, one merchant, one provider) and traffic (money going out, or all). The
 * store holds only the stops in force, keyed as the topic is ({@code scope|target|traffic}), so a request
 * costs at most six point reads of a store of a handful of keys.
 */
final class EmergencyStops {

    /** Id of the decline reason of a stopped request; not a rule of any rule set. */
    static final String REASON_ID = "emergency-stop";
    /** Money going out: what a PAYOUTS stop halts. */
    static final Set<PaymentType> OUTGOING = EnumSet.of(PaymentType.MOBILE_MONEY_PAYOUT, PaymentType.REFUND,
            PaymentType.CARD_LOAD);

    private EmergencyStops() {
    }

    /** The stop in force that covers the request, if any: everywhere first, then its merchant, its provider. */
    static Optional<EmergencyStop> covering(ReadOnlyKeyValueStore<String, EmergencyStop> stops,
                                            PaymentRequest request) {
        boolean outgoing = OUTGOING.contains(request.getType());
        for (StopTraffic traffic : outgoing ? new StopTraffic[]{StopTraffic.ALL, StopTraffic.PAYOUTS}
                : new StopTraffic[]{StopTraffic.ALL}) {
            EmergencyStop stop = stops.get(Topics.stopKey(StopScope.GLOBAL, null, traffic));
            if (stop == null) {
                stop = stops.get(Topics.stopKey(StopScope.MERCHANT, request.getMerchantId(), traffic));
            }
            if (stop == null) {
                stop = stops.get(Topics.stopKey(StopScope.PROVIDER, request.getProvider(), traffic));
            }
            if (stop != null) {
                return Optional.of(stop);
            }
        }
        return Optional.empty();
    }

    /** What a declined request's reason says: who stopped what, and why. */
    static String message(EmergencyStop stop) {
        String what = stop.getTraffic() == StopTraffic.PAYOUTS ? "payouts" : "all payments";
        String where = switch (stop.getScope()) {
            case GLOBAL -> "everywhere";
            case MERCHANT -> "for merchant " + stop.getTarget();
            case PROVIDER -> "through provider " + stop.getTarget();
            case UNKNOWN -> "in an unknown scope";
        };
        return what + " are halted " + where + " by an operator's emergency stop since " + stop.getChangedAt()
                + ": " + stop.getReason();
    }
}
