package dev.ngao.launcher.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the operator's console for what needs a person: Ngao's own warnings and anyone's errors.
 * Library warnings (Kafka's transactional retries at start-up, for one) go to the log file only.
 */
public final class ConsoleFilter extends Filter<ILoggingEvent> {

    private static final String OWN_LOGGERS = "dev.ngao.";

    @Override
    public FilterReply decide(ILoggingEvent event) {
        Level level = event.getLevel();
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return FilterReply.NEUTRAL;
        }
        if (level.isGreaterOrEqual(Level.WARN) && event.getLoggerName().startsWith(OWN_LOGGERS)) {
            return FilterReply.NEUTRAL;
        }
        return FilterReply.DENY;
    }
}
