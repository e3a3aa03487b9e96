package dev.ngao.risk.topology;

import dev.ngao.risk.internal.CardRecord;
import dev.ngao.risk.internal.MerchantSlice;
import dev.ngao.risk.internal.ParkedRequest;
import dev.ngao.risk.internal.Reservation;
import dev.ngao.risk.internal.RuleSetState;
import dev.ngao.risk.internal.SignalDay;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Every store a decision task reads or writes: its own (transactions, account signals, usage, merchant slices,
 * waiting requests) and the global ones it reads (rule sets, cards, lists, emergency stops, signals).
 */
record DecisionStores(WindowStore<String, Reservation> transactions,
                      WindowStore<String, SignalDay> accountSignals,
                      ReadOnlyWindowStore<String, Long> legacyUsage,
                      KeyValueStore<String, Long> allTimeUsage,
                      WindowStore<String, MerchantSlice> slices,
                      KeyValueStore<String, ParkedRequest> parked,
                      ReadOnlyKeyValueStore<String, RuleSetState> ruleSets,
                      ReadOnlyKeyValueStore<String, CardRecord> cards,
                      ReadOnlyKeyValueStore<String, dev.ngao.events.ListEntryChange> lists,
                      ReadOnlyKeyValueStore<String, dev.ngao.events.EmergencyStop> stops,
                      ReadOnlyWindowStore<String, SignalDay> signals) {

    static DecisionStores of(ProcessingContext context) {
        return new DecisionStores(context.getStateStore(RiskTopology.TRANSACTIONS_STORE),
                context.getStateStore(RiskTopology.ACCOUNT_SIGNALS_STORE),
                context.getStateStore(RiskTopology.LEGACY_ACCOUNT_USAGE_STORE),
                context.getStateStore(RiskTopology.ACCOUNT_ALL_TIME_USAGE_STORE),
                context.getStateStore(RiskTopology.MERCHANT_SLICES_STORE),
                context.getStateStore(RiskTopology.PARKED_REQUESTS_STORE),
                context.getStateStore(RiskTopology.RULE_SETS_STORE),
                context.getStateStore(RiskTopology.CARDS_STORE),
                context.getStateStore(RiskTopology.LISTS_STORE),
                context.getStateStore(RiskTopology.STOPS_STORE),
                context.getStateStore(RiskTopology.SIGNALS_STORE));
    }
}
