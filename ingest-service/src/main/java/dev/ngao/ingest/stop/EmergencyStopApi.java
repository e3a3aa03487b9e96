package dev.ngao.ingest.stop;

import dev.ngao.events.EmergencyStop;
import dev.ngao.ingest.kafka.AcknowledgedPublisher;
import dev.ngao.ingest.kafka.IngestProducers;
import dev.ngao.ingest.kafka.LogFollower;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.schemas.topics.Topics;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The operators' emergency stops in a running ingest: the routes over the process's shared producer, and the
 * view of the stops in force following {@code risk.stops} from its beginning.
 */
public final class EmergencyStopApi implements AutoCloseable {

    private final LogFollower<EmergencyStop> follower;
    private final AcknowledgedPublisher<String, EmergencyStop> publisher;
    private final EmergencyStopRoutes routes;

    private EmergencyStopApi(LogFollower<EmergencyStop> follower, AcknowledgedPublisher<String, EmergencyStop> publisher,
                             EmergencyStopRoutes routes) {
        this.follower = follower;
        this.publisher = publisher;
        this.routes = routes;
    }

    /**
     * @param providers  the provider ids a PROVIDER stop may name
     * @param kafkaWait  how long a write waits for Kafka's acknowledgement, and a list for the view
     */
    public static EmergencyStopApi start(Vertx vertx, KafkaContext kafka, IngestProducers producers,
                                         Set<String> providers, Duration kafkaWait, int bodyLimitBytes,
                                         String clientId) {
        EmergencyStopView view = new EmergencyStopView();
        // A list of the stops waits for the view to read risk.stops to its end: an end offset reader of its own.
        LogFollower<EmergencyStop> follower = new LogFollower<>(Topics.RISK_STOPS,
                kafka.consumer(Topics.RISK_STOPS, clientId + "-emergency-stops", null),
                kafka.consumer(Topics.RISK_STOPS, clientId + "-emergency-stops-end-offsets", null), record -> {
                    if (record.value() == null) {
                        view.remove(record.key());
                    } else {
                        view.apply(record.value());
                    }
                }, clientId + "-emergency-stops");
        follower.start();
        AcknowledgedPublisher<String, EmergencyStop> publisher = new AcknowledgedPublisher<>(vertx,
                producers.forTopic(Topics.RISK_STOPS), Topics.RISK_STOPS, kafkaWait.toMillis());
        EmergencyStopRoutes routes = new EmergencyStopRoutes(new EmergencyStopValidator(providers), publisher, view,
                follower::awaitEnd, kafkaWait, Clock.systemUTC(), bodyLimitBytes);
        return new EmergencyStopApi(follower, publisher, routes);
    }

    public EmergencyStopRoutes routes() {
        return routes;
    }

    /** Stops reading first, then the publisher (a view on the shared producer, which its owner closes). */
    @Override
    public void close() {
        follower.close();
        publisher.close();
    }
}
