package dev.ngao.launcher.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleFilterTest {

    private final ConsoleFilter filter = new ConsoleFilter();
    private final LoggerContext context = new LoggerContext();

    @ParameterizedTest
    @CsvSource({
            "dev.ngao.ledger.DecisionPoller, WARN, NEUTRAL",
            "dev.ngao.ledger.DecisionPoller, ERROR, NEUTRAL",
            "dev.ngao.ledger.DecisionPoller, INFO, DENY",
            "org.apache.kafka.clients.producer.internals.Sender, WARN, DENY",
            "org.apache.kafka.clients.producer.internals.Sender, ERROR, NEUTRAL",
            "kafka.server.ReplicaManager, ERROR, DENY",
            "org.apache.kafka.storage.internals.log.UnifiedLog, ERROR, DENY",
            "io.vertx.core.impl.ContextImpl, ERROR, NEUTRAL"})
    void shouldShowOwnWarningsAndClientErrorsButNotBrokerNoise(String logger, String level, FilterReply expected) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerName(logger);
        event.setLevel(Level.toLevel(level));
        event.setLoggerContext(context);

        assertThat(filter.decide(event)).isEqualTo(expected);
    }
}
