package dev.ngao.launcher;

import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.rules.InvalidRuleSetFileException;
import dev.ngao.rules.RuleSetFiles;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The demo puts the demo merchant's rule set (risk-streams/rulesets/merchant-demo.yaml) in force: the built-in
 * limits plus rules that send large payments and payments from an IP abroad to review, so the analyst console's
 * queue fills as the traffic runs. Published the way ingest's POST /v1/rule-sets writes it; without the demo the
 * built-in limits rule set applies until an operator publishes one.
 */
public final class DemoRuleSet {

    static final String RESOURCE = "rulesets/merchant-demo.yaml";
    static final String PUBLISHER_KEY_ID = "demo";

    private DemoRuleSet() {
    }

    /** The rule set as shipped, read and checked as ingest reads an upload. */
    static RuleSetPublished read(Clock clock) throws IOException, InvalidRuleSetFileException {
        try (InputStream in = DemoRuleSet.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is not on the class path");
            }
            return RuleSetFiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "merchant-demo.yaml",
                    PUBLISHER_KEY_ID, clock.instant());
        }
    }

    /** Writes it to risk.rulesets, keyed by its owner, as ingest's POST /v1/rule-sets does; returns it. */
    public static RuleSetPublished publish(KafkaContext kafka, Clock clock) throws Exception {
        RuleSetPublished ruleSet = read(clock);
        try (KafkaProducer<String, RuleSetPublished> producer = kafka.producer(Topics.RISK_RULESETS,
                "ngao-demo-rulesets")) {
            producer.send(new ProducerRecord<>(Topics.RISK_RULESETS.name(), ruleSet.getMerchantId(), ruleSet))
                    .get(30, TimeUnit.SECONDS);
        }
        return ruleSet;
    }
}
