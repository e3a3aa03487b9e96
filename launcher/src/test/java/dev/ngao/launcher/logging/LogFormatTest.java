package dev.ngao.launcher.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import dev.ngao.platform.observability.TraceContext;
import dev.ngao.platform.observability.Traceparent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The containers' logging configuration (deploy/docker/logback.xml) in both of its layouts: JSON lines with the
 * trace and transaction from the MDC, or text naming them, whether the work ran on a Vert.x request's context
 * or on a thread working one record.
 */
class LogFormatTest {

    private static final Path CONTAINER_CONFIGURATION = Path.of("..", "deploy", "docker", "logback.xml");
    private static final Path EMBEDDED_CONFIGURATION = Path.of("src", "main", "resources", "logback.xml");

    @TempDir
    Path logDirectory;

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private LoggerContext logging;
    private Vertx vertx;

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.clearProperty("NGAO_LOG_FORMAT");
        System.clearProperty("NGAO_LOG_DIR");
        if (logging != null) {
            logging.stop();
        }
        if (vertx != null) {
            vertx.close().await();
        }
    }

    @Test
    void shouldWriteJsonLinesWithTheTraceOfTheVertxRequestAndTheTransactionOfTheRecord() throws Exception {
        // Given the container configuration with NGAO_LOG_FORMAT=json
        Logger log = configure("json");
        Traceparent requestTrace = Traceparent.newTrace();
        Traceparent recordTrace = Traceparent.newTrace();

        // When a request's handler logs on its Vert.x context (before and after it knows its transaction), another
        // request without any id logs on the same
        // event loop after it, and a poller thread logs while working one transaction
        vertx = Vertx.vertx();
        Context eventLoop = vertx.getOrCreateContext();
        onContext(eventLoop, () -> {
            TraceContext.put(requestTrace);
            TraceContext.putRequestId("req-1");
            log.info("payment received");
            TraceContext.putTransactionId("tx-0");
            log.info("payment accepted");
        });
        onContext(eventLoop, () -> log.info("health asked"));
        Thread poller = new Thread(() -> {
            try (TraceContext.LogScope ignored = TraceContext.log(recordTrace, "tx-1")) {
                log.info("entry posted");
            }
            log.info("poll done");
        });
        poller.start();
        poller.join();

        // Then each event is one JSON object naming, in its MDC, exactly the trace, request and transaction of its work
        List<JsonObject> events = captured.toString(StandardCharsets.UTF_8).lines().map(JsonObject::new).toList();
        assertThat(events).extracting(event -> event.getString("formattedMessage"))
                .containsExactly("payment received", "payment accepted", "health asked", "entry posted", "poll done");
        assertThat(events.get(0).getString("level")).isEqualTo("INFO");
        assertThat(mdc(events.get(0))).isEqualTo(new JsonObject().put(TraceContext.TRACE_ID_KEY, requestTrace.traceId())
                .put(TraceContext.REQUEST_ID_KEY, "req-1"));
        assertThat(mdc(events.get(1))).isEqualTo(new JsonObject().put(TraceContext.TRACE_ID_KEY, requestTrace.traceId())
                .put(TraceContext.REQUEST_ID_KEY, "req-1").put(TraceContext.TRANSACTION_ID_KEY, "tx-0"));
        assertThat(mdc(events.get(2))).isEqualTo(new JsonObject());
        assertThat(mdc(events.get(3))).isEqualTo(new JsonObject().put(TraceContext.TRACE_ID_KEY, recordTrace.traceId())
                .put(TraceContext.TRANSACTION_ID_KEY, "tx-1"));
        assertThat(mdc(events.get(4))).isEqualTo(new JsonObject());
    }

    @Test
    void shouldNameTheTraceAndTransactionInTextLinesAndNothingWhereThereIsNone() throws Exception {
        // Given the container configuration with no NGAO_LOG_FORMAT (text)
        Logger log = configure(null);
        Traceparent trace = Traceparent.newTrace();

        // When one line is logged within a transaction's work and one outside
        try (TraceContext.LogScope ignored = TraceContext.log(trace, "tx-2")) {
            log.info("entry posted");
        }
        log.info("poll done");

        // Then the first names both, the second neither (no empty braces)
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("traceId=" + trace.traceId(), "transactionId=tx-2").endsWith("- entry posted");
        assertThat(lines.get(1)).doesNotContain("{", "traceId").endsWith("LogFormatTest - poll done");
    }

    @ParameterizedTest(name = "{0} with NGAO_LOG_FORMAT={1}")
    @CsvSource({"container, text", "container, json", "embedded, text", "embedded, json"})
    void shouldConfigureWithoutAWarningSoLogbackPrintsNoStatusAtStart(String configuration, String format)
            throws Exception {
        // When either configuration is read with either layout
        configure(configuration.equals("container") ? CONTAINER_CONFIGURATION : EMBEDDED_CONFIGURATION, format);

        // Then logback reports nothing above INFO (a warning makes it print its whole status at every start)
        assertThat(logging.getStatusManager().getCopyOfStatusList())
                .allSatisfy(status -> assertThat(status.getLevel()).as(status.getMessage()).isEqualTo(Status.INFO));
    }

    @Test
    void shouldReportAnUnknownFormatAndLogAsText() throws Exception {
        // When the format is neither text nor json
        Logger log = configure("yaml");
        log.info("poll done");

        // Then the configuration names the mistake, and lines are still written, as text
        assertThat(logging.getStatusManager().getCopyOfStatusList())
                .anySatisfy(status -> assertThat(status.getMessage()).contains("NGAO_LOG_FORMAT must be"));
        assertThat(captured.toString(StandardCharsets.UTF_8)).endsWith("LogFormatTest - poll done" + System.lineSeparator());
    }

    private Logger configure(String format) throws Exception {
        return configure(CONTAINER_CONFIGURATION, format);
    }

    private Logger configure(Path configuration, String format) throws Exception {
        System.setProperty("NGAO_LOG_DIR", logDirectory.toString());
        if (format != null) {
            System.setProperty("NGAO_LOG_FORMAT", format);
        }
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        logging = new LoggerContext();
        // The MDC that TraceContext writes through SLF4J: the one of the process's own logback context.
        logging.setMDCAdapter(org.slf4j.MDC.getMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(logging);
        configurator.doConfigure(configuration.toFile());
        return logging.getLogger(LogFormatTest.class);
    }

    private static JsonObject mdc(JsonObject event) {
        JsonObject mdc = event.getJsonObject("mdc");
        return mdc == null ? new JsonObject() : mdc;
    }

    private static void onContext(Context context, Runnable work) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            // A request's own context, as Vert.x web gives each request (its locals are the request's).
            Context duplicate = ((io.vertx.core.internal.ContextInternal) context).duplicate();
            duplicate.runOnContext(inner -> {
                try {
                    work.run();
                    done.complete(null);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
        });
        done.get(10, TimeUnit.SECONDS);
    }
}
