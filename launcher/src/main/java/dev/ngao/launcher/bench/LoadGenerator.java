package dev.ngao.launcher.bench;

import org.HdrHistogram.Histogram;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A closed-loop HTTP load: a fixed number of workers, each sending its next request when the previous
 * answer arrived, for a fixed time. Closed loop on purpose: on a shared two-core machine an open-loop
 * rate would measure the generator's queue as much as the server.
 */
final class LoadGenerator {

    private static final long HIGHEST_TRACKABLE_MICROS = 60_000_000L;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Runs {@code concurrency} workers for {@code duration}, each sending what {@code requests} makes. */
    Result run(String label, Supplier<HttpRequest> requests, int concurrency, Duration duration, int expectedStatus)
            throws InterruptedException {
        long deadlineNanos = System.nanoTime() + duration.toNanos();
        AtomicLong unexpected = new AtomicLong();
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int worker = 0; worker < concurrency; worker++) {
            Histogram histogram = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
            histograms.add(histogram);
            Thread thread = new Thread(() -> work(requests, deadlineNanos, histogram, unexpected, expectedStatus),
                    label + "-load-" + worker);
            workers.add(thread);
            thread.start();
        }
        for (Thread thread : workers) {
            thread.join();
        }
        Histogram total = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
        histograms.forEach(total::add);
        return new Result(label, total.getTotalCount(), unexpected.get(), duration,
                total.getValueAtPercentile(50) / 1_000.0, total.getValueAtPercentile(99) / 1_000.0);
    }

    private void work(Supplier<HttpRequest> requests, long deadlineNanos, Histogram histogram, AtomicLong unexpected,
                      int expectedStatus) {
        while (System.nanoTime() < deadlineNanos) {
            HttpRequest request = requests.get();
            long startNanos = System.nanoTime();
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != expectedStatus) {
                    unexpected.incrementAndGet();
                    continue;
                }
                histogram.recordValue(Math.min((System.nanoTime() - startNanos) / 1_000, HIGHEST_TRACKABLE_MICROS));
            } catch (java.io.IOException e) {
                unexpected.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Answered requests (with the expected status) per second, and their latency percentiles. */
    record Result(String label, long answered, long unexpected, Duration duration, double p50Millis, double p99Millis) {

        double perSecond() {
            return answered / (duration.toMillis() / 1000.0);
        }
    }
}
