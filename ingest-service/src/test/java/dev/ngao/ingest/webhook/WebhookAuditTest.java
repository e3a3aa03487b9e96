package dev.ngao.ingest.webhook;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookAuditTest {

    @Test
    void shouldLogRefusalsAtWarnAndAcceptancesBelowInfo() {
        // Given the webhook audit log, listened to at every level
        Logger log = (Logger) LoggerFactory.getLogger("dev.ngao.ingest.webhook.audit");
        Level before = log.getLevel();
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        log.setLevel(Level.DEBUG);
        try {
            // When one forged call is refused and one provider event accepted
            WebhookAudit.LOGGING.record("mobile-money-hub", "webhook.refused", "FORGED", "", "198.51.100.7");
            WebhookAudit.LOGGING.record("mobile-money-hub", "webhook.accepted", "APPLIED", "hub-evt-1", "198.51.100.8");

            // Then the refusal is a WARN line to alert on, and the acceptance (one per payment) only a DEBUG line
            assertThat(lines.list).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(Level.WARN,
                                    "webhook.refused mobile-money-hub FORGED event= client=198.51.100.7"),
                            org.assertj.core.groups.Tuple.tuple(Level.DEBUG,
                                    "webhook.accepted mobile-money-hub APPLIED event=hub-evt-1 client=198.51.100.8"));
        } finally {
            log.detachAppender(lines);
            log.setLevel(before);
        }
    }
}
