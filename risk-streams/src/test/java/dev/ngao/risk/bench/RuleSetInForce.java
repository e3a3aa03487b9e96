package dev.ngao.risk.bench;

import dev.ngao.events.AccountKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.MobileMoneyDetails;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import dev.ngao.events.RiskSignals;
import dev.ngao.events.Rule;
import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.rules.RuleSetFiles;
import dev.ngao.schemas.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Puts the shipped catalogue, risk-streams/rulesets/default.yaml (on the class path as rulesets/default.yaml),
 * in force the way production does: read and checked by risk-rules' {@link RuleSetFiles} as ingest reads an
 * upload, published on risk.rulesets keyed by its owner ("default") as ingest's POST /v1/rule-sets and the
 * launcher's DemoRuleSet write it; then waits until risk-streams decides with it.
 */
final class RuleSetInForce {

    static final String RESOURCE = "rulesets/default.yaml";
    static final String DEFAULT_OWNER = "default";

    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(90);

    private RuleSetInForce() {
    }

    /** The catalogue as shipped, checked; refuses a file that is not the default merchants' rule set. */
    static RuleSetPublished read() throws Exception {
        try (InputStream in = RuleSetInForce.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is not on the class path (risk-streams' pom copies rulesets/)");
            }
            RuleSetPublished ruleSet = RuleSetFiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "default.yaml", PhaseTraffic.API_KEY_ID, Instant.now());
            if (!DEFAULT_OWNER.equals(ruleSet.getMerchantId())) {
                throw new IllegalStateException(RESOURCE + " is the rule set of " + ruleSet.getMerchantId()
                        + ", not of default");
            }
            return ruleSet;
        }
    }

    static void publish(KafkaContext kafka, RuleSetPublished ruleSet) throws Exception {
        try (KafkaProducer<String, RuleSetPublished> producer = kafka.producer(Topics.RISK_RULESETS,
                "bench-rulesets")) {
            producer.send(new ProducerRecord<>(Topics.RISK_RULESETS.name(), ruleSet.getMerchantId(), ruleSet))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Waits until a decision names {@code ruleSet}'s version. The probe is a wallet payment from Cuba, from an IP
     * located in North Korea: default.yaml blocks the payer's country and the IP's, the built-in rule set (limits
     * and card checks only) approves it, so only the published catalogue can put its version in the reasons.
     */
    static RiskDecision awaitInForce(DecisionProbe probe, RuleSetPublished ruleSet) throws Exception {
        long deadline = System.nanoTime() + VERIFY_TIMEOUT.toNanos();
        RiskDecision last = null;
        while (System.nanoTime() < deadline) {
            PaymentRequest request = probeRequest(probe.nextTransactionId());
            Map<String, RiskDecision> decided = probe.ask(List.of(request), Duration.ofSeconds(5));
            last = decided.get(request.getTransactionId());
            if (last != null && versionOf(last).filter(ruleSet.getVersion()::equals).isPresent()) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("risk-streams did not put " + RESOURCE + " version " + ruleSet.getVersion()
                + " in force within " + VERIFY_TIMEOUT.toSeconds() + " s; last probe decision: "
                + (last == null ? "none" : last.getOutcome() + " by rule-set version " + versionOf(last).orElse("?")
                + ", reasons " + last.getReasons()));
    }

    /** The rule-set version a decision's reasons name (they all name the one that decided). */
    static Optional<String> versionOf(RiskDecision decision) {
        return decision.getReasons().stream().map(DecisionReason::getRuleSetVersion).findFirst();
    }

    static long enforcedRules(RuleSetPublished ruleSet) {
        return ruleSet.getRules().stream().map(Rule::getMode).filter(RuleMode.ENFORCE::equals).count();
    }

    private static PaymentRequest probeRequest(String transactionId) {
        return PaymentRequest.newBuilder()
                .setTransactionId(transactionId)
                .setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId("bench-probe")
                .setMerchantReference(transactionId)
                .setAccountKind(AccountKind.WALLET)
                .setAccountId(Identities.hash("probe-wallet", 0, 0, 64))
                .setAmount(new Money(10_000L, "KES"))
                .setProvider("mobile-money-hub")
                .setCountry("CU")
                .setMobileMoney(new MobileMoneyDetails("+5351234567", "+5351****67", "MPESA"))
                .setApiKeyId(PhaseTraffic.API_KEY_ID)
                .setRequestedAt(Instant.now())
                .setSignals(RiskSignals.newBuilder().setClientIp("100.127.255.254").setIpCountry("KP").build())
                .build();
    }
}
