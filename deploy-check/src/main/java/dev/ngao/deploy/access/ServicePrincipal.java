package dev.ngao.deploy.access;

import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import dev.ngao.schemas.topics.Writer;

import java.util.List;
import java.util.Optional;

/**
 * The Kafka principal (SCRAM user, Strimzi KafkaUser) of each Ngao service, named as the service is deployed.
 * What it may write is not listed here: it is {@link Topics#writtenBy(Writer)} of its writer, so a new topic
 * is granted to its one writer and to no one else. What it reads, and the consumer groups and transactional
 * ids it uses, are the service's own choices and are listed here; deploy-check's KafkaAccessTest checks the
 * reads against the topics each module's code names and the group and application ids against the services'
 * configuration defaults.
 */
public enum ServicePrincipal {
    INGEST("ingest-service", Writer.INGEST_SERVICE,
            List.of(Topics.RISK_DECISIONS, Topics.PROVIDER_STATUS_QUERIES),
            "ingest-service", null),
    RISK("risk-streams", Writer.RISK_STREAMS,
            List.of(Topics.PAYMENT_REQUESTS, Topics.PROVIDER_EVENTS, Topics.CARD_EVENTS, Topics.CARD_AUTHORIZATIONS,
                    Topics.RISK_REVIEWS, Topics.RISK_STOPS, Topics.RISK_LISTS, Topics.RISK_RULESETS,
                    Topics.LEDGER_REFUSALS, Topics.API_KEYS),
            null, "ngao-risk"),
    LEDGER("ledger-service", Writer.LEDGER_SERVICE,
            List.of(Topics.RISK_DECISIONS, Topics.PROVIDER_EVENTS, Topics.API_KEYS),
            "ngao-ledger", null),
    RECONCILER("reconciler", Writer.RECONCILER,
            List.of(Topics.PAYMENT_REQUESTS, Topics.RISK_DECISIONS, Topics.LEDGER_ENTRIES, Topics.PROVIDER_EVENTS,
                    Topics.API_KEYS),
            null, "ngao-reconciler"),
    NOTIFIER("notifier", null,
            List.of(Topics.PAYMENT_REQUESTS, Topics.RISK_DECISIONS, Topics.PROVIDER_EVENTS, Topics.API_KEYS),
            "ngao-notifier", null),
    CONSOLE("console", Writer.CONSOLE,
            List.of(Topics.RISK_DECISIONS, Topics.RECON_BREAKS, Topics.PROVIDER_HEALTH, Topics.RISK_STOPS,
                    Topics.API_KEYS),
            null, null);

    /** The SCRAM user name, the KafkaUser's (and so its Secret's) name, and the deployment's name. */
    public final String userName;
    private final Writer writer;
    private final List<Topic<?, ?>> reads;
    private final String groupPrefix;
    private final String streamsApplicationId;

    ServicePrincipal(String userName, Writer writer, List<Topic<?, ?>> reads, String groupPrefix,
                     String streamsApplicationId) {
        this.userName = userName;
        this.writer = writer;
        this.reads = reads;
        this.groupPrefix = groupPrefix;
        this.streamsApplicationId = streamsApplicationId;
    }

    /** The topics this service owns: the only ones it may write. */
    public List<Topic<?, ?>> writes() {
        return writer == null ? List.of() : Topics.writtenBy(writer);
    }

    /** Topics of other writers this service consumes. */
    public List<Topic<?, ?>> reads() {
        return reads;
    }

    /** The prefix of the consumer groups of its plain consumers, if it has any. */
    public Optional<String> groupPrefix() {
        return Optional.ofNullable(groupPrefix);
    }

    /**
     * The Kafka Streams application.id: the prefix of its consumer groups, transactional ids (exactly_once_v2)
     * and internal topics (changelogs, repartitions).
     */
    public Optional<String> streamsApplicationId() {
        return Optional.ofNullable(streamsApplicationId);
    }

    /** The variable of docker-compose's .env holding this user's password. */
    public String composePasswordVariable() {
        return KafkaAccess.passwordVariable(userName);
    }
}
