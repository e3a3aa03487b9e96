package dev.ngao.launcher.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

import java.util.List;

/**
 * Keeps the operator's console for what needs a person: Ngao's own warnings and errors, and client
 * libraries' errors. The embedded broker's own logs go to the log file only: it reports at ERROR
 * conditions its clients retry by design (a transactional producer's pipelined batches refused with
 * OutOfOrderSequence while the first waits out CONCURRENT_TRANSACTIONS), which would bury the live line.
 */
public final class ConsoleFilter extends Filter<ILoggingEvent> {

    private static final String OWN_LOGGERS = "dev.ngao.";
    private static final List<String> BROKER_LOGGERS = List.of(
            "kafka.", "state.change.logger", "org.apache.kafka.server.", "org.apache.kafka.storage.",
            "org.apache.kafka.controller.", "org.apache.kafka.raft.", "org.apache.kafka.metadata.",
            "org.apache.kafka.coordinator.", "org.apache.kafka.image.");

    @Override
    public FilterReply decide(ILoggingEvent event) {
        String logger = event.getLoggerName();
        Level level = event.getLevel();
        if (logger.startsWith(OWN_LOGGERS)) {
            return level.isGreaterOrEqual(Level.WARN) ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
        boolean broker = BROKER_LOGGERS.stream().anyMatch(logger::startsWith);
        return !broker && level.isGreaterOrEqual(Level.ERROR) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
