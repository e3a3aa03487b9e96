package dev.ngao.launcher.bench;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP load: request {@code i} is due at {@code start + i / rate}, and is sent then whatever
 * happened to the requests before it; its latency is counted from that intended time, not from when it
 * actually left. A slow answer, a queue in the client's connection pool or a pause of this generator
 * therefore shows in the latency of every request it delayed, as a merchant would see it, instead of
 * silently lowering the rate (the coordinated omission a closed loop suffers from).
 *
 * <p>Requests go out through a Vert.x HTTP/1.1 client with up to {@code maxConnections} keep-alive
 * connections; beyond them requests wait in the pool's queue, and that wait is latency too. Answers are
 * read in full. Nothing here blocks an event loop: one scheduling thread decides when, and hands each
 * request to an event loop (round robin), where it is sent and its answer read; a request composed off
 * its event loop can lose its answer to the race with it.
 */
final class OpenLoopLoad implements AutoCloseable {

    /** One request to send: its headers (signature included) and body. */
    record Request(MultiMap headers, Buffer body) {
    }

    /** Makes the next request; called on the scheduling thread, at the request's due time. */
    interface Requests {
        Request next();
    }

    /**
     * Sees each answer that has the expected status: its body and its latency from the intended send time.
     * Called on the event loop that read the answer, so it must not block.
     */
    interface Answers {
        Answers IGNORED = (body, latencyNanos) -> { };

        void answered(Buffer body, long latencyNanos);
    }

    private static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int EVENT_LOOP_CONTEXTS = 4;

    private final HttpClientAgent client;
    private final List<Context> eventLoops = new ArrayList<>();
    private long sent;

    OpenLoopLoad(Vertx vertx, int maxConnections) {
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setPipelining(false)
                        .setConnectTimeout((int) REQUEST_TIMEOUT.toMillis()),
                new PoolOptions().setHttp1MaxSize(maxConnections));
        // Off a Vert.x thread, each call gives a new context, on the event loops in turn.
        for (int index = 0; index < EVENT_LOOP_CONTEXTS; index++) {
            eventLoops.add(vertx.getOrCreateContext());
        }
    }

    /**
     * Sends {@code rate} requests per second to {@code target} for {@code duration}, then waits (bounded)
     * for the last answers; an answer other than {@code expectedStatus} is an error, counted by status.
     */
    Result run(String label, URI target, Requests requests, double rate, Duration duration, int expectedStatus)
            throws InterruptedException {
        return run(label, target, requests, rate, duration, expectedStatus, Answers.IGNORED);
    }

    /** As {@link #run(String, URI, Requests, double, Duration, int)}, handing each expected answer to {@code answers}. */
    Result run(String label, URI target, Requests requests, double rate, Duration duration, int expectedStatus,
               Answers answers) throws InterruptedException {
        long count = Math.round(rate * duration.toNanos() / 1e9);
        double intervalNanos = 1e9 / rate;
        Phase phase = new Phase(expectedStatus, answers);
        long startNanos = System.nanoTime();
        for (long index = 0; index < count; index++) {
            long intendedNanos = startNanos + (long) (index * intervalNanos);
            waitUntil(intendedNanos);
            send(target, requests.next(), intendedNanos, phase);
        }
        long sentNanos = System.nanoTime();
        phase.awaitAnswers(REQUEST_TIMEOUT.plusSeconds(1));
        return phase.result(label, rate, count, startNanos, sentNanos);
    }

    /** Parks until {@code deadlineNanos}; late already means send now. */
    private static void waitUntil(long deadlineNanos) throws InterruptedException {
        for (long remaining = deadlineNanos - System.nanoTime(); remaining > 0;
             remaining = deadlineNanos - System.nanoTime()) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void send(URI target, Request request, long intendedNanos, Phase phase) {
        phase.sent();
        Context eventLoop = eventLoops.get((int) (sent++ % eventLoops.size()));
        eventLoop.runOnContext(ignored -> sendOnEventLoop(target, request, intendedNanos, phase));
    }

    private void sendOnEventLoop(URI target, Request request, long intendedNanos, Phase phase) {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(target.getHost())
                .setPort(target.getPort())
                .setURI(target.getRawPath())
                .setHeaders(request.headers())
                .setIdleTimeout(REQUEST_TIMEOUT.toMillis());
        client.request(options)
                .compose(outgoing -> outgoing.send(request.body()))
                .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)))
                .onComplete(answered -> {
                    if (answered.succeeded()) {
                        phase.answered(answered.result(), System.nanoTime() - intendedNanos);
                    } else {
                        phase.failed(answered.cause());
                    }
                });
    }

    @Override
    public void close() {
        client.close();
    }

    private record Answer(int status, Buffer body) {
    }

    /** The counters of one run, updated from the event loops. */
    private static final class Phase {

        private final int expectedStatus;
        private final Answers answers;
        private final Histogram latencies = new ConcurrentHistogram(HIGHEST_TRACKABLE_MICROS, 3);
        private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        private final AtomicLong outstanding = new AtomicLong();
        private final AtomicLong lastAnswerNanos = new AtomicLong();
        private final LongAdder expected = new LongAdder();

        private Phase(int expectedStatus, Answers answers) {
            this.expectedStatus = expectedStatus;
            this.answers = answers;
        }

        void sent() {
            outstanding.incrementAndGet();
        }

        void answered(Answer answer, long latencyNanos) {
            if (answer.status() == expectedStatus) {
                expected.increment();
                latencies.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(latencyNanos), HIGHEST_TRACKABLE_MICROS));
                answers.answered(answer.body(), latencyNanos);
            } else {
                error("HTTP " + answer.status());
            }
            finished();
        }

        void failed(Throwable cause) {
            error(cause.getClass().getSimpleName());
            finished();
        }

        private void error(String kind) {
            errors.computeIfAbsent(kind, ignored -> new LongAdder()).increment();
        }

        private void finished() {
            lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max);
            outstanding.decrementAndGet();
        }

        void awaitAnswers(Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (outstanding.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        Result result(String label, double rate, long scheduled, long startNanos, long sentNanos) {
            Map<String, Long> byKind = new TreeMap<>();
            errors.forEach((kind, counter) -> byKind.put(kind, counter.sum()));
            long unanswered = outstanding.get();
            if (unanswered > 0) {
                byKind.put("no answer", unanswered);
            }
            long endNanos = Math.max(lastAnswerNanos.get(), sentNanos);
            Histogram snapshot = latencies.copy();
            return new Result(label, rate, scheduled, expected.sum(), byKind,
                    expected.sum() / ((endNanos - startNanos) / 1e9),
                    scheduled / ((sentNanos - startNanos) / 1e9),
                    millis(snapshot.getValueAtPercentile(50)), millis(snapshot.getValueAtPercentile(99)),
                    millis(snapshot.getValueAtPercentile(99.9)), millis(snapshot.getMaxValue()));
        }

        private static double millis(long micros) {
            return micros / 1_000.0;
        }
    }

    /**
     * What one run measured: requests scheduled, answers with the expected status, errors by kind, the
     * achieved rate (expected answers per second from the first due time to the last answer), the rate the
     * generator actually sent at, and latency percentiles from the intended send time, in milliseconds.
     */
    record Result(String label, double targetRate, long scheduled, long succeeded, Map<String, Long> errors,
                  double achievedRate, double sendRate, double p50Millis, double p99Millis, double p999Millis,
                  double maxMillis) {

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
