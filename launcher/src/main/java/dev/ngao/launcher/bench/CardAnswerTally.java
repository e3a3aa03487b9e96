package dev.ngao.launcher.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What the card network was answered in one phase of {@code ./ngao bench-cards}, read from the bodies of the
 * 200 answers of {@code POST /v1/card-authorizations}: who decided (risk, or the timeout default), the outcome,
 * risk's reviews answered DECLINE, the rules the declines name, the rule-set versions any reason names, and the
 * latency of the answers each decider gave. An answer that is not the documented shape is counted as unreadable,
 * never guessed at. Thread-safe: answers arrive on several event loops.
 */
final class CardAnswerTally {

    static final String DECIDED_BY_RISK = "risk";
    static final String DECIDED_BY_TIMEOUT = "timeout-default";
    /** How ingest words a risk REVIEW it answered DECLINE (CardAuthorizationRoutes). */
    static final String REVIEW_REASON_PREFIX = "held for review";

    private static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(2);

    /** The counts of one phase; {@code declinesByRule} most frequent first. */
    record Summary(long answers, long byRisk, long byTimeout, long approved, long declined, long reviewsDeclined,
                   long unreadable, Map<String, Long> declinesByRule, Set<String> ruleSetVersions,
                   double riskP99Millis, double timeoutP50Millis) {

        double riskShare() {
            return answers == 0 ? 0 : (double) byRisk / answers;
        }

        double timeoutShare() {
            return answers == 0 ? 0 : (double) byTimeout / answers;
        }
    }

    private final Histogram riskMicros = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
    private final Histogram timeoutMicros = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
    private final Map<String, Long> declinesByRule = new TreeMap<>();
    private final Set<String> ruleSetVersions = new TreeSet<>();
    private long answers;
    private long byRisk;
    private long byTimeout;
    private long approved;
    private long declined;
    private long reviewsDeclined;
    private long unreadable;

    /** Counts one answer body, answered {@code latencyNanos} after its intended send time. */
    synchronized void record(String body, long latencyNanos) {
        answers++;
        JsonObject answer;
        try {
            answer = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            unreadable++;
            return;
        }
        String decidedBy = answer.getValue("decidedBy") instanceof String text ? text : "";
        String outcome = answer.getValue("outcome") instanceof String text ? text : "";
        boolean knownDecider = decidedBy.equals(DECIDED_BY_RISK) || decidedBy.equals(DECIDED_BY_TIMEOUT);
        boolean knownOutcome = outcome.equals("APPROVE") || outcome.equals("DECLINE");
        if (!knownDecider || !knownOutcome || !(answer.getValue("reasons") instanceof JsonArray reasons)) {
            unreadable++;
            return;
        }
        long micros = Math.min(HIGHEST_TRACKABLE_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
        if (decidedBy.equals(DECIDED_BY_RISK)) {
            byRisk++;
            riskMicros.recordValue(micros);
        } else {
            byTimeout++;
            timeoutMicros.recordValue(micros);
        }
        if (outcome.equals("APPROVE")) {
            approved++;
        } else {
            declined++;
            if (answer.getValue("reason") instanceof String reason && reason.startsWith(REVIEW_REASON_PREFIX)) {
                reviewsDeclined++;
            }
        }
        for (Object item : reasons) {
            if (item instanceof JsonObject reason) {
                countReason(reason, outcome.equals("DECLINE"));
            }
        }
    }

    private void countReason(JsonObject reason, boolean declinedAnswer) {
        if (reason.getValue("ruleSetVersion") instanceof String version) {
            ruleSetVersions.add(version);
        }
        if (declinedAnswer && reason.getValue("ruleId") instanceof String ruleId) {
            declinesByRule.merge(ruleId, 1L, Long::sum);
        }
    }

    synchronized Summary summary() {
        Map<String, Long> byCount = new LinkedHashMap<>();
        declinesByRule.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(entry -> byCount.put(entry.getKey(), entry.getValue()));
        return new Summary(answers, byRisk, byTimeout, approved, declined, reviewsDeclined, unreadable, byCount,
                new TreeSet<>(ruleSetVersions), millis(riskMicros, 99), millis(timeoutMicros, 50));
    }

    private static double millis(Histogram micros, double percentile) {
        return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(percentile) / 1000.0;
    }
}
