package dev.ngao.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ngao.platform.auth.RequestSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Demo traffic through Ngao's public door: payments posted to the ingest service's HTTP API at a fixed
 * rate, with a bound on requests in flight so a slow pipeline slows the demo instead of piling up. Every
 * request is signed as a merchant's back end signs it ({@link RequestSigner}), with a fresh nonce each.
 * The payments, their customers and the customers' risk signals come from one seeded generator
 * ({@link DemoPayments}): the same seed sends the same sequence of bodies every run.
 */
public final class DemoTraffic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoTraffic.class);
    private static final int MAX_IN_FLIGHT = 64;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** The seed of every demo run unless another is given. */
    public static final long DEFAULT_SEED = 20_260_301L;

    private final URI paymentsUri;
    private final RequestSigner signer;
    private final int ratePerSecond;
    private final LatencyRecorder latency;
    private final DemoPayments payments;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "demo-traffic");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public DemoTraffic(String ingestBaseUrl, String apiKeyId, String apiKeySecret, int ratePerSecond,
                       LatencyRecorder latency) {
        this(ingestBaseUrl, apiKeyId, apiKeySecret, ratePerSecond, latency, DEFAULT_SEED);
    }

    /** @param seed of the payments and customers sent; one seed, one sequence of bodies */
    public DemoTraffic(String ingestBaseUrl, String apiKeyId, String apiKeySecret, int ratePerSecond,
                       LatencyRecorder latency, long seed) {
        if (ratePerSecond < 1 || ratePerSecond > 10_000) {
            throw new IllegalArgumentException("demo rate must be between 1 and 10000 per second");
        }
        this.paymentsUri = URI.create(ingestBaseUrl + "/v1/payments");
        this.signer = new RequestSigner(apiKeyId, apiKeySecret);
        this.ratePerSecond = ratePerSecond;
        this.latency = latency;
        this.payments = new DemoPayments(new SplittableRandom(seed));
    }

    public void start() {
        long periodMicros = 1_000_000L / ratePerSecond;
        scheduler.scheduleAtFixedRate(this::sendOne, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    public long accepted() {
        return accepted.get();
    }

    public long refused() {
        return refused.get();
    }

    private void sendOne() {
        if (!inFlight.tryAcquire()) {
            return;
        }
        byte[] body = payments.next().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = signer.sign("POST", paymentsUri, body).applyTo(HttpRequest.newBuilder(paymentsUri))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                // Each demo payment is a new request; a retry of it would send the same key again.
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long sentNanos = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    inFlight.release();
                    if (failure != null) {
                        refused.incrementAndGet();
                        LOG.debug("Demo payment not sent: {}", failure.toString());
                    } else if (response.statusCode() == 202) {
                        accepted.incrementAndGet();
                        latency.accepted(transactionId(response.body()), sentNanos);
                    } else {
                        refused.incrementAndGet();
                        LOG.warn("Demo payment refused with status {}", response.statusCode());
                    }
                });
    }

    private String transactionId(String body) {
        try {
            JsonNode node = json.readTree(body);
            return node.path("transactionId").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Ingest answered 202 without a transaction id", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
