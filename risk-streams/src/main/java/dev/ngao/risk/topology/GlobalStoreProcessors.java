package dev.ngao.risk.topology;

import dev.ngao.events.CardEvent;
import dev.ngao.events.EmergencyStop;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.events.StopScope;
import dev.ngao.events.StopTraffic;
import dev.ngao.risk.internal.CardRecord;
import dev.ngao.risk.internal.RuleSetState;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.InvalidRuleSetException;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The processors of the global stores fed by a processor (rule sets, cards, lists, emergency stops). Kafka Streams re-runs them on restore, so a store is
 * rebuilt by the same logic that filled it (a refused rule set is refused again, the card fold is redone).
 */
final class GlobalStoreProcessors {

    private static final Logger LOG = LoggerFactory.getLogger(GlobalStoreProcessors.class);

    private GlobalStoreProcessors() {
    }

    /**
     * risk.rulesets -> rule-sets: compiles each published rule set; a good one replaces the one in force, a
     * bad one is refused (logged, and recorded beside the good one for the HTTP API) and the last good
     * version stays. A tombstone removes the owner's rule set: its merchants fall back to the default.
     */
    static final class RuleSets implements Processor<String, RuleSetPublished, Void, Void> {

        private static final InternalSerde<RuleSetPublished> PUBLISHED = InternalSerde.of(RuleSetPublished.class);

        private final RuleSetCatalog catalog;
        private KeyValueStore<String, RuleSetState> store;

        RuleSets(RuleSetCatalog catalog) {
            this.catalog = catalog;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(RiskTopology.RULE_SETS_STORE);
        }

        @Override
        public void process(Record<String, RuleSetPublished> record) {
            if (record.key() == null) {
                LOG.warn("Ignored a rule set record without a key");
                return;
            }
            RuleSetPublished published = record.value();
            if (published == null) {
                store.delete(record.key());
                catalog.changed(store, record.key());
                LOG.info("Rule set of {} removed; its merchants use the default", record.key());
                return;
            }
            RuleSetState before = store.get(record.key());
            RuleSetState state = before != null ? RuleSetState.newBuilder(before).build()
                    : RuleSetState.newBuilder().setOwner(record.key()).build();
            try {
                if (!published.getMerchantId().equals(record.key())) {
                    throw new InvalidRuleSetException(published.getMerchantId(), published.getVersion(),
                            List.of("published under key " + record.key() + " but names merchant "
                                    + published.getMerchantId()));
                }
                CompiledRuleSet compiled = catalog.compile(published);
                state.setGoodVersion(published.getVersion());
                state.setGoodRuleSet(ByteBuffer.wrap(PUBLISHED.encode(published)));
                catalog.remember(compiled);
                LOG.info("Rule set {} of {} in force ({} rules)", published.getVersion(), record.key(),
                        compiled.rules().size());
            } catch (InvalidRuleSetException e) {
                state.setRefusedVersion(published.getVersion());
                state.setRefusedProblems(e.problems());
                state.setRefusedAtMs(record.timestamp());
                LOG.warn("Refused rule set {} of {}, version {} stays in force: {}", published.getVersion(),
                        record.key(), state.getGoodVersion() == null ? "default" : state.getGoodVersion(),
                        String.join("; ", e.problems()));
            }
            store.put(record.key(), state);
            catalog.changed(store, record.key());
        }
    }

    /** cards.events -> cards: the fold of each card's events. */
    static final class Cards implements Processor<String, CardEvent, Void, Void> {

        private KeyValueStore<String, CardRecord> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(RiskTopology.CARDS_STORE);
        }

        @Override
        public void process(Record<String, CardEvent> record) {
            CardEvent event = record.value();
            if (event == null) {
                return;
            }
            store.put(event.getCardId(), CardFold.apply(store.get(event.getCardId()), event));
        }
    }

    /** risk.lists -> lists: the latest entry of each key, indexed for lookup; a tombstone deletes. */
    static final class Lists implements Processor<String, ListEntryChange, Void, Void> {

        private KeyValueStore<String, ListEntryChange> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(RiskTopology.LISTS_STORE);
        }

        @Override
        public void process(Record<String, ListEntryChange> record) {
            if (record.key() == null) {
                return;
            }
            String entryKey = StoreListLookup.entryKey(record.key());
            ListEntryChange before = store.get(entryKey);
            if (before != null) {
                store.delete(StoreListLookup.indexKey(before));
            }
            if (record.value() == null) {
                store.delete(entryKey);
                return;
            }
            store.put(entryKey, record.value());
            store.put(StoreListLookup.indexKey(record.value()), record.value());
        }
    }

    /** risk.stops -> stops: a stop in force is kept under its key; a lifted one (or a tombstone) is removed. */
    static final class Stops implements Processor<String, EmergencyStop, Void, Void> {

        private KeyValueStore<String, EmergencyStop> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(RiskTopology.STOPS_STORE);
        }

        @Override
        public void process(Record<String, EmergencyStop> record) {
            if (record.key() == null) {
                return;
            }
            EmergencyStop stop = record.value();
            if (stop == null || !stop.getActive()) {
                store.delete(record.key());
                LOG.info("Emergency stop {} lifted", record.key());
            } else if (!record.key().equals(Topics.stopKey(stop.getScope(), stop.getTarget(), stop.getTraffic()))
                    || stop.getScope() == StopScope.UNKNOWN || stop.getTraffic() == StopTraffic.UNKNOWN) {
                LOG.error("Ignored emergency stop under key {}: it names {}|{}|{}", record.key(), stop.getScope(),
                        stop.getTarget(), stop.getTraffic());
            } else {
                store.put(record.key(), stop);
                LOG.warn("Emergency stop {} in force: {}", record.key(), EmergencyStops.message(stop));
            }
        }
    }
}
