package dev.ngao.risk.bench;

import dev.ngao.events.DecisionReason;
import dev.ngao.events.Outcome;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A pipeline under measurement: where the requests go, where its answers come out, and how to read one. */
interface Pipeline extends AutoCloseable {

    /** Short name for the summary lines: baseline, risk-streams. */
    String name();

    /** What runs, truthfully, for the phase labels. */
    String label();

    String inputTopic();

    String outputTopic();

    /** Anything the phase's requests need in place before the first is sent (risk-streams: the phase's cards). */
    void beforePhase(PhasePlan plan, PhaseTraffic traffic) throws Exception;

    /** The answer an output record is; read on the reader thread. */
    Answer read(ConsumerRecord<byte[], byte[]> record);

    /** The rule-set version every decision's reasons must carry; empty where there are no decisions. */
    Optional<String> ruleSetVersion();

    /** What else the pipeline saw during the phase just run, for its report (risk-streams: payments that waited). */
    default Optional<String> phaseNote() {
        return Optional.empty();
    }

    /** Throws if the pipeline stopped working (a failed stream thread), so a phase is not reported as slow. */
    void checkHealthy();

    @Override
    void close() throws Exception;

    /**
     * One answer: its transaction, the requestedAt it carries back (the request's intended send time), and for
     * decisions the outcome and the rules that matched.
     */
    record Answer(String transactionId, Instant requestedAt, Outcome outcome, List<DecisionReason> reasons) {

        static Answer copy(String transactionId, Instant requestedAt) {
            return new Answer(transactionId, requestedAt, null, List.of());
        }
    }
}
