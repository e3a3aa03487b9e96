package dev.ngao.reconciler;

import dev.ngao.providers.report.SettlementReportFormat;
import dev.ngao.reconciler.report.DailySchedule;
import dev.ngao.reconciler.report.ReportReconciler;
import dev.ngao.reconciler.report.RunId;
import dev.ngao.reconciler.report.RunOrigin;
import dev.ngao.reconciler.report.RunSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Report runs started inside the process from files: the daily run of each provider's previous settlement day,
 * read from {@code <inbox>/<provider>-<day>.csv}, and the on-demand run of a given file.
 */
final class ReportFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ReportFiles.class);

    private final ReportReconciler reconciler;
    private final Map<String, SettlementReportFormat> formats;
    private final Path inboxDirectory;
    private final Clock clock;

    ReportFiles(ReportReconciler reconciler, Map<String, SettlementReportFormat> formats, Path inboxDirectory,
                Clock clock) {
        this.reconciler = reconciler;
        this.formats = new TreeMap<>(formats);
        this.inboxDirectory = inboxDirectory;
        this.clock = clock;
    }

    /** Schedules the next daily run on {@code scheduler}, and after it the one after, until the scheduler stops. */
    void scheduleDaily(ScheduledExecutorService scheduler, DailySchedule schedule) {
        Instant now = clock.instant();
        Instant next = schedule.nextAfter(now);
        LOG.info("Next daily reconciliation at {}", next);
        scheduler.schedule(() -> {
            try {
                runDaily(next);
            } catch (RuntimeException e) {
                // A scheduled task must not die silently: a failure is logged and the next period tries again.
                LOG.error("Reconciler daily run failed, next period tries again", e);
            }
            if (!scheduler.isShutdown()) {
                scheduleDaily(scheduler, schedule);
            }
        }, schedule.delayUntilNext(now).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The daily run: each provider's previous settlement day, from {@code <inbox>/<provider>-<day>.csv}. */
    void runDaily(Instant firedAt) {
        for (String provider : formats.keySet()) {
            LocalDate day = DailySchedule.dayToReconcile(provider, firedAt);
            Path report = inboxDirectory.resolve(provider + "-" + day + ".csv");
            if (!Files.exists(report)) {
                LOG.warn("Daily run of {} for {}: no report at {}", provider, day, report);
                continue;
            }
            try {
                reconcile(provider, day, report, RunOrigin.SCHEDULE);
            } catch (IOException | RuntimeException e) {
                LOG.error("Daily run of {} for {} failed: {}", provider, day, e.getMessage());
            }
        }
    }

    /** @param source what started the run, for its audit record: {@link RunOrigin#SCHEDULE}, {@link RunOrigin#FILE} */
    RunSummary reconcile(String provider, LocalDate day, Path report, String source) throws IOException {
        SettlementReportFormat format = Optional.ofNullable(formats.get(provider))
                .orElseThrow(() -> new IllegalArgumentException("no report format for provider " + provider));
        RunOrigin origin = RunOrigin.service(source, report);
        try (Reader reader = Files.newBufferedReader(report, StandardCharsets.UTF_8)) {
            return reconciler.reconcile(new RunId(provider, day), origin, format, reader);
        }
    }
}
