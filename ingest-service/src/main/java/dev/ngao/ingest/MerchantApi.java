package dev.ngao.ingest;

import dev.ngao.events.CardAuthorizationAnswer;
import dev.ngao.events.CardEvent;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.Outcome;
import dev.ngao.events.ReviewResolution;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.ingest.approval.ApprovalDesk;
import dev.ngao.ingest.card.CardAuthorizationRoutes;
import dev.ngao.ingest.card.CardBatchRoutes;
import dev.ngao.ingest.card.CardDirectory;
import dev.ngao.ingest.card.CardEvents;
import dev.ngao.ingest.card.CardRoutes;
import dev.ngao.ingest.card.CardValidity;
import dev.ngao.ingest.challenge.ChallengeRoutes;
import dev.ngao.ingest.cip.CipCodes;
import dev.ngao.ingest.cip.CipEvents;
import dev.ngao.ingest.cip.CipRequestValidator;
import dev.ngao.ingest.cip.CipRoutes;
import dev.ngao.ingest.http.RouteGroup;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.kafka.IngestProducers;
import dev.ngao.ingest.kafka.LogFollower;
import dev.ngao.ingest.list.ListEntries;
import dev.ngao.ingest.list.ListEntryValidator;
import dev.ngao.ingest.list.ListRoutes;
import dev.ngao.ingest.payment.PaymentRequestPublisher;
import dev.ngao.ingest.refund.RefundRoutes;
import dev.ngao.ingest.key.KeyRoutes;
import dev.ngao.ingest.review.ReviewRoutes;
import dev.ngao.ingest.state.IngestStateStores;
import dev.ngao.ingest.ruleset.RuleSetRoutes;
import dev.ngao.ingest.status.DecisionAwaiter;
import dev.ngao.ingest.status.PaymentStatusView;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.platform.pii.PiiProtector;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The merchant API beyond plain payments: CIP payments, card issuing and authorization, refunds, reviews,
 * lists and rule sets. Builds their route groups over the shared payment publisher and status view, with a
 * publisher per topic they write, and the card directory fed from {@code cards.events}.
 */
public final class MerchantApi implements AutoCloseable {

    /** Most card authorizations awaiting a decision at once; beyond it an authorization is answered 503. */
    public static final int MAX_WAITING_AUTHORIZATIONS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(MerchantApi.class);

    /** The producers of the topics this API writes, besides payment requests. */
    public record Producers(
            Producer<String, CardEvent> cardEvents,
            Producer<String, CardAuthorizationAnswer> cardAuthorizations,
            Producer<String, ReviewResolution> reviews,
            Producer<String, ListEntryChange> lists,
            Producer<String, RuleSetPublished> ruleSets) {
    }

    /** What the route groups are configured with. */
    public record Settings(byte[] piiPepper, long kafkaTimeoutMs, int bodyLimitBytes,
                           CardAuthorizationRoutes.Policy authorizationPolicy, int cardDirectoryMaxEntries,
                           CardValidity cardValidity, Clock clock) {
    }

    private final CardDirectory cardDirectory;
    private final CardEvents cardEventFactory;
    private final AcknowledgedPublisher<String, CardEvent> cardEvents;
    private final List<RouteGroup> routeGroups;
    private final List<AutoCloseable> resources;

    private MerchantApi(CardDirectory cardDirectory, CardEvents cardEventFactory,
                        AcknowledgedPublisher<String, CardEvent> cardEvents, List<RouteGroup> routeGroups,
                        List<AutoCloseable> resources) {
        this.cardDirectory = cardDirectory;
        this.cardEventFactory = cardEventFactory;
        this.cardEvents = cardEvents;
        this.routeGroups = routeGroups;
        this.resources = resources;
    }

    /** The topics this API writes or reads, besides those of the status view. */
    public static List<Topic<?, ?>> topics() {
        return List.of(Topics.CARD_EVENTS, Topics.CARD_AUTHORIZATIONS, Topics.RISK_REVIEWS, Topics.RISK_LISTS,
                Topics.RISK_RULESETS);
    }

    /** The route groups over the given producers; the card directory is fed only by the handlers. */
    public static MerchantApi create(Vertx vertx, Producers producers, PaymentRequestPublisher payments,
                                     PaymentStatusView statusView, IngestStateStores stateStores, Settings settings) {
        PiiProtector pii = new PiiProtector(settings.piiPepper());
        Clock clock = settings.clock();
        int bodyLimit = settings.bodyLimitBytes();
        long timeoutMs = settings.kafkaTimeoutMs();
        AcknowledgedPublisher<String, CardEvent> cardEvents =
                new AcknowledgedPublisher<>(vertx, producers.cardEvents(), Topics.CARD_EVENTS, timeoutMs);
        AcknowledgedPublisher<String, CardAuthorizationAnswer> answers =
                new AcknowledgedPublisher<>(vertx, producers.cardAuthorizations(), Topics.CARD_AUTHORIZATIONS,
                        timeoutMs);
        AcknowledgedPublisher<String, ReviewResolution> reviews =
                new AcknowledgedPublisher<>(vertx, producers.reviews(), Topics.RISK_REVIEWS, timeoutMs);
        AcknowledgedPublisher<String, ListEntryChange> lists =
                new AcknowledgedPublisher<>(vertx, producers.lists(), Topics.RISK_LISTS, timeoutMs);
        AcknowledgedPublisher<String, RuleSetPublished> ruleSets =
                new AcknowledgedPublisher<>(vertx, producers.ruleSets(), Topics.RISK_RULESETS, timeoutMs);
        CardDirectory directory = new CardDirectory(stateStores, settings.cardDirectoryMaxEntries());
        CardEvents cardEventFactory = new CardEvents(pii, settings.cardValidity(), clock);
        List<RouteGroup> groups = List.of(
                new CipRoutes(new CipRequestValidator(clock), new CipEvents(pii, clock), new CipCodes(), payments,
                        statusView, bodyLimit),
                new CardRoutes(cardEventFactory, directory, cardEvents, payments, statusView, bodyLimit),
                new CardAuthorizationRoutes(cardEventFactory, directory, payments, answers,
                        new DecisionAwaiter(vertx, statusView, MAX_WAITING_AUTHORIZATIONS), statusView,
                        settings.authorizationPolicy(), clock, bodyLimit),
                new RefundRoutes(payments, statusView, clock, bodyLimit),
                new ReviewRoutes(reviews, statusView, clock, bodyLimit),
                new ChallengeRoutes(reviews, statusView, clock, bodyLimit),
                new ListRoutes(new ListEntryValidator(clock), new ListEntries(pii, clock), lists, bodyLimit),
                new RuleSetRoutes(ruleSets, clock, bodyLimit),
                new KeyRoutes());
        return new MerchantApi(directory, cardEventFactory, cardEvents, groups, new ArrayList<>(List.of(cardEvents, answers, reviews, lists, ruleSets)));
    }

    /**
     * Builds the API on the process's shared producer and starts feeding the card directory from
     * {@code cards.events} (read with {@code kafka}).
     */
    public static MerchantApi start(Vertx vertx, KafkaContext kafka, IngestProducers shared, IngestConfig config,
                                    PaymentRequestPublisher payments, PaymentStatusView statusView,
                                    IngestStateStores stateStores, String clientId) {
        Producers producers = new Producers(shared.forTopic(Topics.CARD_EVENTS),
                shared.forTopic(Topics.CARD_AUTHORIZATIONS), shared.forTopic(Topics.RISK_REVIEWS),
                shared.forTopic(Topics.RISK_LISTS), shared.forTopic(Topics.RISK_RULESETS));
        MerchantApi api = create(vertx, producers, payments, statusView, stateStores, new Settings(config.piiPepper(),
                config.kafkaTimeoutMs(), config.bodyLimitBytes(), new CardAuthorizationRoutes.Policy(
                config.cardAuthorizationDeadlineMs(), Outcome.valueOf(config.cardAuthorizationTimeoutOutcome())),
                config.cardDirectoryMaxEntries(), config.cardValidity(), Clock.systemUTC()));
        LogFollower<CardEvent> cards = LogFollower.ofValues(Topics.CARD_EVENTS,
                kafka.consumer(Topics.CARD_EVENTS, clientId + "-card-directory", null), api.cardDirectory::record,
                clientId + "-card-directory");
        cards.start();
        // The follower is closed first: it stops reading before the publishers go.
        api.resources.add(0, cards);
        return api;
    }

    public List<RouteGroup> routeGroups() {
        return routeGroups;
    }

    /**
     * Bulk card issuance under maker-checker, over this API's card events and directory: batches wait on
     * {@code desk} and are issued once approved.
     */
    public CardBatchRoutes cardBatches(ApprovalDesk desk, int maxBatchSize, int bodyLimitBytes) {
        return new CardBatchRoutes(cardEventFactory, cardDirectory, cardEvents, desk, maxBatchSize, bodyLimitBytes);
    }

    public CardDirectory cardDirectory() {
        return cardDirectory;
    }

    @Override
    public void close() {
        resources.forEach(MerchantApi::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("Cannot close {}: {}", resource, e.toString());
        }
    }
}
