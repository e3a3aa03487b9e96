package dev.ngao.risk.topology;

import dev.ngao.risk.internal.Reservation;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The stores of one stage. The account stage has all of them; a dimension stage has no history or
 * devices (null).
 */
record StageStores(KeyValueStore<String, Long> usage,
                   KeyValueStore<String, String> velocity,
                   KeyValueStore<String, Long> distinct,
                   KeyValueStore<String, Reservation> reservations,
                   KeyValueStore<String, Long> history,
                   KeyValueStore<String, Long> devices) {

    static StageStores account(ProcessingContext context) {
        return new StageStores(context.getStateStore(RiskTopology.ACCOUNT_USAGE_STORE),
                context.getStateStore(RiskTopology.ACCOUNT_VELOCITY_STORE),
                context.getStateStore(RiskTopology.ACCOUNT_DISTINCT_STORE),
                context.getStateStore(RiskTopology.ACCOUNT_RESERVATIONS_STORE),
                context.getStateStore(RiskTopology.ACCOUNT_HISTORY_STORE),
                context.getStateStore(RiskTopology.ACCOUNT_DEVICES_STORE));
    }

    static StageStores dimension(ProcessingContext context) {
        return new StageStores(context.getStateStore(RiskTopology.DIMENSION_USAGE_STORE),
                context.getStateStore(RiskTopology.DIMENSION_VELOCITY_STORE),
                context.getStateStore(RiskTopology.DIMENSION_DISTINCT_STORE),
                context.getStateStore(RiskTopology.DIMENSION_RESERVATIONS_STORE),
                null, null);
    }
}
