package dev.ngao.platform;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownTest {

    private final Logger log = (Logger) LoggerFactory.getLogger("shutdown-test");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void capture() {
        logged.start();
        log.addAppender(logged);
    }

    @AfterEach
    void release() {
        log.detachAppender(logged);
    }

    @Test
    void shouldCloseVertxAndStopItsTimers() throws Exception {
        Vertx vertx = Vertx.vertx();
        AtomicInteger ticks = new AtomicInteger();
        vertx.setPeriodic(50, id -> ticks.incrementAndGet());

        Shutdown.closeVertx(vertx, Duration.ofSeconds(10), log);
        int atClose = ticks.get();
        Thread.sleep(500);

        // No tick after the close returned, however long the close took on a busy machine
        assertThat(ticks).hasValue(atClose);
        assertThat(logged.list).isEmpty();
        Shutdown.closeVertx(null, Duration.ofSeconds(1), log);
    }

    @Test
    void shouldSayWhichThreadDidNotStopInTimeAndReturnOnceItHas() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Thread stuck = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stuck-worker");
        stuck.start();

        assertThat(Shutdown.join(stuck, Duration.ofMillis(50), log)).isFalse();
        assertThat(logged.list).singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage()).contains("stuck-worker"));

        release.countDown();
        assertThat(Shutdown.join(stuck, Duration.ofSeconds(10), log)).isTrue();
    }
}
