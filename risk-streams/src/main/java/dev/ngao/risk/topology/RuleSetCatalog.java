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
 * else the published {@code default}, else the built-in default. Compiled rule sets are cached by owner and
 * version (shared by the stream threads of one topology, bounded), so a rule set is compiled once per
 * version and a dimension stage can use the version the account stage used while it is cached.
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
        return inForce(store, merchantId)
                .or(() -> inForce(store, CompiledRuleSet.DEFAULT_MERCHANT))
                .orElse(builtInDefault);
    }

    /** {@code owner}'s rule set of {@code version} while it is known, else the one in force for the owner now. */
    CompiledRuleSet version(ReadOnlyKeyValueStore<String, RuleSetState> store, String owner, String version,
                            String merchantId) {
        if (owner != null && version != null) {
            if (owner.equals(builtInDefault.merchantId()) && version.equals(builtInDefault.version())) {
                return builtInDefault;
            }
            synchronized (this) {
                CompiledRuleSet cached = compiled.get(cacheKey(owner, version));
                if (cached != null) {
                    return cached;
                }
            }
        }
        return forMerchant(store, merchantId);
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
