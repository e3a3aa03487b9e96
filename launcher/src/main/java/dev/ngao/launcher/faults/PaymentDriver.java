package dev.ngao.launcher.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.sandbox.DemoPayments;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault suite's merchant: signed, idempotent {@code POST /v1/payments} of the demo mix, open loop at a fixed
 * rate (request {@code i} is due at {@code start + i / rate}, sent then whatever became of the ones before it,
 * so requests keep coming while Ngao is down, as they would from a merchant's back end). Each request has its
 * own {@code Idempotency-Key} and body, kept; one that gets no answer (connection refused or cut, a timeout),
 * {@code 5xx}, {@code 409} (its first attempt still in progress) or {@code 429} is sent again, with the same key
 * and body and a fresh signature, after a backoff, until it gets a final answer: {@code 202} (accepted, with the
 * transaction id the checker follows) or another {@code 4xx} (refused). Retries are paced (the load's own rate, at
 * least 20 a second) so a restart is not met by a burst of everything that failed while it was down.
 */
final class PaymentDriver implements AutoCloseable {

    private static final Pattern REFERENCE = Pattern.compile("\"merchantReference\":\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final int MAX_IN_FLIGHT = 256;
    private static final double RETRIES_PER_SECOND = 20;

    /** One payment request of the run and what became of it. */
    static final class Payment {
        private final String key;
        private final byte[] body;
        private final AtomicInteger attempts = new AtomicInteger();
        private volatile int status;
        private volatile String transactionId;
        private volatile boolean replayed;

        Payment(String key, byte[] body) {
            this.key = key;
            this.body = body;
        }

        String key() {
            return key;
        }

        int attempts() {
            return attempts.get();
        }

        /** The final status, 0 while none. */
        int status() {
            return status;
        }

        /** The transaction id of a 202, else null. */
        String transactionId() {
            return transactionId;
        }

        /** Whether the 202 was a replay of an earlier attempt's answer ({@code Idempotent-Replayed}). */
        boolean replayed() {
            return replayed;
        }
    }

    /** What the driver did, for the figures. */
    record Summary(long requests, long attempts, long retried, long accepted, long replayed,
                   Map<Integer, Long> refusedByStatus, long unanswered) {
    }

    private record Retry(Payment payment, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Retry) other).dueNanos);
        }
    }

    private final URI paymentsUri;
    private final RequestSigner signer;
    private final String keyPrefix;
    private final DemoPayments bodies;
    private final double ratePerSecond;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Payment> payments = new ArrayList<>();
    private final Map<String, Payment> byKey = new ConcurrentHashMap<>();
    private final DelayQueue<Retry> retries = new DelayQueue<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong unfinished = new AtomicLong();
    private volatile boolean sendingNew = true;
    private volatile boolean running = true;
    private Thread scheduler;

    /**
     * @param keyPrefix the run's prefix of idempotency keys and merchant references, unique per run
     * @param seed      of the demo mix: one seed, one sequence of bodies
     */
    PaymentDriver(String ingestBaseUrl, RequestSigner signer, String keyPrefix, long seed, double ratePerSecond) {
        if (ratePerSecond <= 0 || ratePerSecond > 1_000) {
            throw new IllegalArgumentException("rate must be above 0 and at most 1000 per second: " + ratePerSecond);
        }
        this.paymentsUri = URI.create(ingestBaseUrl + "/v1/payments");
        this.signer = signer;
        this.keyPrefix = keyPrefix;
        this.bodies = new DemoPayments(new SplittableRandom(seed));
        this.ratePerSecond = ratePerSecond;
    }

    void start() {
        scheduler = new Thread(this::schedule, "fault-suite-payments");
        scheduler.setDaemon(true);
        scheduler.start();
    }

    /**
     * No new requests from now on; those without a final answer are still retried. Synchronized with
     * {@link #create}: once this returns, every request made is counted as unfinished until it is answered.
     */
    synchronized void stopNewRequests() {
        sendingNew = false;
    }

    /** Waits until every request has its final answer; false if some still have none at the deadline. */
    boolean awaitFinalAnswers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unfinished.get() > 0 || sendingNew) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** The requests sent so far, in order. */
    synchronized List<Payment> payments() {
        return List.copyOf(payments);
    }

    Payment payment(String key) {
        return byKey.get(key);
    }

    Summary summary() {
        List<Payment> all = payments();
        long attempts = 0;
        long retried = 0;
        long accepted = 0;
        long replayed = 0;
        long unanswered = 0;
        Map<Integer, Long> refused = new TreeMap<>();
        for (Payment payment : all) {
            attempts += payment.attempts();
            retried += payment.attempts() > 1 ? 1 : 0;
            if (payment.status() == 202) {
                accepted++;
                replayed += payment.replayed() ? 1 : 0;
            } else if (payment.status() == 0) {
                unanswered++;
            } else {
                refused.merge(payment.status(), 1L, Long::sum);
            }
        }
        return new Summary(all.size(), attempts, retried, accepted, replayed, refused, unanswered);
    }

    private void schedule() {
        long startNanos = System.nanoTime();
        double intervalNanos = 1e9 / ratePerSecond;
        long created = 0;
        // Retries get as many sends a second as the load itself, and at least RETRIES_PER_SECOND.
        double retryRate = Math.max(ratePerSecond, RETRIES_PER_SECOND);
        double retryAllowance = 0;
        long lastNanos = startNanos;
        while (running) {
            long now = System.nanoTime();
            retryAllowance = Math.min(retryRate, retryAllowance + (now - lastNanos) * retryRate / 1e9);
            lastNanos = now;
            if (sendingNew && now >= startNanos + (long) (created * intervalNanos)) {
                Payment payment = create(created);
                if (payment != null) {
                    created++;
                    send(payment);
                }
                continue;
            }
            Retry due = retryAllowance >= 1 ? retries.poll() : null;
            if (due != null) {
                retryAllowance--;
                send(due.payment());
                continue;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** The next request, or null if {@link #stopNewRequests} came first (checked under the same lock). */
    private synchronized Payment create(long index) {
        if (!sendingNew) {
            return null;
        }
        String key = keyPrefix + "-" + index;
        String body = REFERENCE.matcher(bodies.next()).replaceFirst(
                Matcher.quoteReplacement("\"merchantReference\":\"" + key + "\""));
        Payment payment = new Payment(key, body.getBytes(StandardCharsets.UTF_8));
        payments.add(payment);
        byKey.put(key, payment);
        unfinished.incrementAndGet();
        return payment;
    }

    private void send(Payment payment) {
        if (inFlight.get() >= MAX_IN_FLIGHT) {
            // Not an attempt: the driver's own bound, met while Ngao does not answer at all.
            retryLater(payment, FIRST_BACKOFF);
            return;
        }
        payment.attempts.incrementAndGet();
        inFlight.incrementAndGet();
        HttpRequest request = signer.sign("POST", paymentsUri, payment.body)
                .applyTo(HttpRequest.newBuilder(paymentsUri))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", payment.key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(payment.body))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            inFlight.decrementAndGet();
            if (failure != null || retryable(response.statusCode())) {
                retryLater(payment, backoff(payment.attempts()));
            } else {
                finish(payment, response);
            }
        });
    }

    static boolean retryable(int status) {
        return status >= 500 || status == 409 || status == 429;
    }

    private static Duration backoff(int attempts) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(attempts - 1, 10);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    private void retryLater(Payment payment, Duration wait) {
        retries.add(new Retry(payment, System.nanoTime() + wait.toNanos()));
    }

    private void finish(Payment payment, HttpResponse<String> response) {
        if (response.statusCode() == 202) {
            payment.transactionId = transactionId(response.body());
            payment.replayed = response.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false);
        }
        payment.status = response.statusCode();
        unfinished.decrementAndGet();
    }

    private static String transactionId(String body) {
        try {
            String id = JSON.readTree(body).path("transactionId").asText("");
            if (id.isEmpty()) {
                throw new IllegalStateException("a 202 without a transaction id: " + body);
            }
            return id;
        } catch (IOException e) {
            throw new IllegalStateException("a 202 whose body is not JSON", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (scheduler != null) {
            scheduler.join(5_000);
        }
    }
}
