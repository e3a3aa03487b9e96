package dev.ngao.risk.topology;

import dev.ngao.events.RuleSetPublished;
import dev.ngao.risk.internal.RuleSetState;
import dev.ngao.rules.CompiledRuleSet;
import dev.ngao.rules.InvalidRuleSetException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which compiled rule set decides a merchant's request: the merchant's own in the global rule-sets store,
 * else the published {@code default}, else the built-in default. The rule set in force of each owner is
 * kept compiled in memory (shared by the stream threads of one topology, bounded) and read from the store
 * only after the rule-sets processor changed it ({@link #changed}), so a request never decodes a rule set;
 * compiled versions are cached too, so a rule set is compiled once per version.
 */
public final class RuleSetCatalog {

    /** Far above owners x live versions; an evicted version is compiled again from the store on demand. */
    static final int MAX_CACHED = 1_000;

    private static final InternalSerde<RuleSetPublished> PUBLISHED = InternalSerde.of(RuleSetPublished.class);

    private final CompiledRuleSet builtInDefault;
    private final RuleSetCompilation compiler;
    private final Map<String, CompiledRuleSet> compiled = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompiledRuleSet> eldest) {
            return size() > MAX_CACHED;
        }
    };

    public RuleSetCatalog(CompiledRuleSet builtInDefault, RuleSetCompilation compiler) {
        this.builtInDefault = builtInDefault;
        this.compiler = compiler;
    }

    /** Owner -> its rule set in force, or empty when it has none; filled from the store on first use. */
    private final Map<String, Optional<CompiledRuleSet>> inForceByOwner = new java.util.concurrent.ConcurrentHashMap<>();

    public CompiledRuleSet builtInDefault() {
        return builtInDefault;
    }

    CompiledRuleSet compile(RuleSetPublished published) throws InvalidRuleSetException {
        return compiler.compile(published);
    }

    synchronized void remember(CompiledRuleSet ruleSet) {
        compiled.put(cacheKey(ruleSet.merchantId(), ruleSet.version()), ruleSet);
    }

    /** The rule set in force for {@code merchantId}. */
    public CompiledRuleSet forMerchant(ReadOnlyKeyValueStore<String, RuleSetState> store, String merchantId) {
        return cachedInForce(store, merchantId)
                .or(() -> cachedInForce(store, CompiledRuleSet.DEFAULT_MERCHANT))
                .orElse(builtInDefault);
    }

    /**
     * The owner's rule set in the store changed (put, refused, removed): called by the rule-sets processor,
     * the store's only writer, right after its write, so the last call of an owner leaves what is in force
     * now (a stream thread that read the store before only adds its read where there is none).
     */
    void changed(ReadOnlyKeyValueStore<String, RuleSetState> store, String owner) {
        inForceByOwner.put(owner, inForce(store, owner));
    }

    private Optional<CompiledRuleSet> cachedInForce(ReadOnlyKeyValueStore<String, RuleSetState> store, String owner) {
        Optional<CompiledRuleSet> known = inForceByOwner.get(owner);
        if (known != null) {
            return known;
        }
        Optional<CompiledRuleSet> read = inForce(store, owner);
        // Bounded as the compiled versions are: owners are merchants with a rule set, and the rest read on.
        if (inForceByOwner.size() < MAX_CACHED) {
            inForceByOwner.putIfAbsent(owner, read);
        }
        return read;
    }

    private Optional<CompiledRuleSet> inForce(ReadOnlyKeyValueStore<String, RuleSetState> store, String owner) {
        RuleSetState state = store.get(owner);
        if (state == null || state.getGoodVersion() == null || state.getGoodRuleSet() == null) {
            return Optional.empty();
        }
        synchronized (this) {
            CompiledRuleSet cached = compiled.get(cacheKey(owner, state.getGoodVersion()));
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        try {
            CompiledRuleSet ruleSet = compiler.compile(PUBLISHED.decode(CardFold.bytes(state.getGoodRuleSet())));
            remember(ruleSet);
            return Optional.of(ruleSet);
        } catch (InvalidRuleSetException e) {
            // It compiled when it was stored; a compiler that now refuses it is a deployment problem.
            throw new IllegalStateException("rule set " + state.getGoodVersion() + " of " + owner
                    + " compiled before and is refused now", e);
        }
    }

    private static String cacheKey(String owner, String version) {
        return owner + '|' + version;
    }
}
