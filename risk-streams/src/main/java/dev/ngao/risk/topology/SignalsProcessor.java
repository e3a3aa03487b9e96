package dev.ngao.risk.topology;

import dev.ngao.risk.internal.SignalDay;
import dev.ngao.risk.internal.SignalObservation;
import dev.ngao.rules.Dimension;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * risk.signals -> the global signals store: every instance folds every decided request into the velocity
 * buckets and distinct values of each dimension it carried besides its account (whose signals its own task
 * keeps exactly). Decision tasks read the store locally, so cross-account signals cost no hop on the
 * decision path.
 *
 * <p>Staleness, the bound a decision lives with: an observation is written in the exactly-once transaction
 * of its decision, so it becomes readable after that task's commit (at most {@code commit.interval.ms}) and
 * is applied here when the global thread polls it; a decision therefore misses at most the requests decided
 * in the last commit interval plus the global consumer's lag. That lag, from the decision's wall clock to
 * this store, is measured per observation as {@value #STALENESS} (Prometheus on /metrics).
 *
 * <p>A merchant's own requests are counted in buckets only: its distinct values would be every customer it
 * has, a set no rule asks of a merchant, and a hot key to rewrite on every request.
 */
final class SignalsProcessor implements Processor<String, SignalObservation, Void, Void> {

    public static final String STALENESS = "ngao.risk.signals.staleness";

    private final Duration retention;
    private WindowStore<String, SignalDay> store;
    private SignalBook book;
    private ProcessorContext<Void, Void> context;
    private Timer staleness;

    /** @param retention the global store's retention, which decides when a write drops a segment */
    SignalsProcessor(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(RiskTopology.SIGNALS_STORE);
        this.book = SignalBook.globalWriter(store, retention);
        this.staleness = Timer.builder(STALENESS)
                .description("From a decision to its observation in the global signals store that other decisions read")
                .publishPercentiles(0.5, 0.99, 0.999)
                .register(Metrics.globalRegistry);
    }

    @Override
    public void process(Record<String, SignalObservation> record) {
        SignalObservation observation = record.value();
        if (observation == null) {
            return;
        }
        Map<Dimension, String> values = new EnumMap<>(Dimension.class);
        observation.getValues().forEach((name, value) -> values.put(Dimension.valueOf(name), value));
        for (Map.Entry<Dimension, String> entry : values.entrySet()) {
            Dimension dimension = entry.getKey();
            if (dimension == Dimension.ACCOUNT) {
                continue;
            }
            book.observe(dimension, entry.getValue(), observation.getRequestedAtMs(), observation.getCurrency(),
                    observation.getAmountMinor(), dimension == Dimension.MERCHANT ? Map.of() : values);
        }
        long lagMs = context.currentSystemTimeMs() - observation.getDecidedAtMs();
        staleness.record(Duration.ofMillis(Math.max(0, lagMs)));
    }
}
