package dev.ngao.launcher;

import dev.ngao.events.Outcome;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.sandbox.DecisionCounts;
import dev.ngao.sandbox.DecisionMonitor;
import dev.ngao.sandbox.DemoTraffic;
import dev.ngao.sandbox.LatencyRecorder;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The embedded run as a person sees it: start, say where things are, optionally drive demo traffic with
 * a live line of counts and latency, and on Ctrl-C stop everything cleanly.
 */
final class EmbeddedRun {

    private EmbeddedRun() {
    }

    static void run(LauncherConfig config, Map<String, String> environment, boolean demo, PrintStream out)
            throws Exception {
        EmbeddedNgao ngao = new EmbeddedNgao(config, environment);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ngao-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            out.println("Starting Ngao (embedded) with data in " + config.dataDirectory());
            ngao.start();
            out.printf(Locale.ROOT, "Ngao ready in %.1f s: Kafka %s, ingest %s, ledger %s, notifier %s, provider sandbox %s%n",
                    ngao.startupTime().toMillis() / 1000.0, ngao.bootstrapServers(), ngao.ingestBaseUrl(),
                    ngao.ledgerBaseUrl(), ngao.notifierBaseUrl(), ngao.sandboxBaseUrl());
            out.println("Console: " + ngao.consoleBaseUrl() + " (people sign in with an account of their own, password "
                    + "and authenticator code: ./ngao users add --username NAME --role analyst --key "
                    + ngao.demoAnalystKeyId() + " prints its enrolment link)");
            out.println("Demo API key: " + ngao.demoKeyId() + " (sandbox, payments, from this machine only; secret in "
                    + config.dataDirectory().resolve("secrets").resolve(EmbeddedNgao.DEMO_KEY_SECRET_FILE)
                    + "). Sign requests with ./ngao sign; see docs/api.md.");
            out.println("Demo operator key: " + ngao.demoOperatorKeyId() + " (every merchant's ledger, usage and "
                    + "deliveries, report uploads; secret in "
                    + config.dataDirectory().resolve("secrets").resolve(EmbeddedNgao.DEMO_OPERATOR_SECRET_FILE) + ")");
            if (demo) {
                runDemo(ngao, config, stop, out);
            } else {
                out.println("Press Ctrl-C to stop.");
                stop.await();
            }
        } finally {
            out.println();
            out.println("Stopping Ngao...");
            ngao.close();
            out.println("Stopped.");
            stopped.countDown();
        }
    }

    private static void runDemo(EmbeddedNgao ngao, LauncherConfig config, CountDownLatch stop, PrintStream out)
            throws Exception {
        LatencyRecorder latency = new LatencyRecorder();
        try (KafkaContext kafka = KafkaContext.connect(ngao.kafkaSettings());
             DecisionMonitor monitor = new DecisionMonitor(kafka, latency);
             DemoTraffic traffic = new DemoTraffic(ngao.ingestBaseUrl(), ngao.demoKeyId(), ngao.demoKeySecret(),
                     config.demoRatePerSecond(), latency)) {
            monitor.start();
            RuleSetPublished rules = DemoRuleSet.publish(kafka, Clock.systemUTC());
            out.printf(Locale.ROOT, "Rule set of %s in force: version %s, %d rules (%s)%n",
                    rules.getMerchantId(), rules.getVersion(), rules.getRules().size(), "risk-streams/" + DemoRuleSet.RESOURCE);
            traffic.start();
            out.printf(Locale.ROOT, "Demo traffic: %d payments/s (Ctrl-C to stop)%n", config.demoRatePerSecond());
            long startNanos = System.nanoTime();
            long deadlineNanos = config.demoDurationSeconds() == 0 ? Long.MAX_VALUE
                    : startNanos + TimeUnit.SECONDS.toNanos(config.demoDurationSeconds());
            boolean console = System.console() != null;
            while (!stop.await(config.statusIntervalSeconds(), TimeUnit.SECONDS) && System.nanoTime() < deadlineNanos) {
                String line = statusLine(monitor, latency.interval(), "last interval", traffic, startNanos);
                if (console) {
                    out.print("\r" + line);
                } else {
                    out.println(line);
                }
                out.flush();
            }
            out.println();
            LatencyRecorder.Snapshot total = latency.total();
            out.println("Final: " + statusLine(monitor, total, "whole run", traffic, startNanos));
            out.printf(Locale.ROOT, "Decision latency over the whole run: %d decisions, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    total.count(), total.p50Millis(), total.p99Millis(), total.maxMillis());
        }
    }

    static String statusLine(DecisionMonitor monitor, LatencyRecorder.Snapshot latency, String latencySpan,
                             DemoTraffic traffic, long startNanos) {
        DecisionCounts counts = monitor.counts();
        double seconds = Math.max((System.nanoTime() - startNanos) / 1e9, 0.001);
        return String.format(Locale.ROOT,
                "approved %d | declined %d | review %d | %.1f decisions/s | latency p50 %.0f ms p99 %.0f ms (%s)"
                        + " | sent %d refused %d | breaks %d",
                counts.of(Outcome.APPROVE), counts.of(Outcome.DECLINE), counts.of(Outcome.REVIEW),
                counts.total() / seconds, latency.p50Millis(), latency.p99Millis(), latencySpan,
                traffic.accepted(), traffic.refused(), monitor.breaks());
    }
}
