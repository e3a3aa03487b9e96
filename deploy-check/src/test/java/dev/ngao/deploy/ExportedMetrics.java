package dev.ngao.deploy;

import dev.ngao.events.JournalEntry;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.RiskDecision;
import dev.ngao.platform.observability.ServiceMetrics;
import dev.ngao.reconciler.matching.MatchingPolicy;
import dev.ngao.reconciler.matching.ReconcilerTopology;
import dev.ngao.schemas.registry.InMemorySchemaRegistry;
import dev.ngao.schemas.serde.TopicSerdes;
import dev.ngao.schemas.topics.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The names of the series the services put on {@code /metrics}, computed rather than listed, so an alert rule
 * cannot name a series that no service exports:
 * <ul>
 *   <li>Ngao's own meters: every {@code Counter}, {@code FunctionCounter}, {@code Gauge}, {@code Timer} and
 *       {@code DistributionSummary} built in the modules' main sources, found by scanning them for
 *       {@code X.builder(NAME} and registered here under that name and type, so Micrometer's own Prometheus
 *       naming makes the series names ({@code _total}, {@code _seconds}, {@code _bucket}, quantiles);</li>
 *   <li>what {@link ServiceMetrics} binds for every service: the JVM's, a Kafka consumer's and producer's
 *       (clients that are never connected: their metrics exist from construction), and Kafka Streams' own,
 *       from the reconciler's matching topology in a TopologyTestDriver, whose processor registers the
 *       matcher's sensors.</li>
 * </ul>
 * Series a Kafka client only makes once partitions are assigned (per-partition lag) are not in the set.
 */
final class ExportedMetrics {

    private static final Pattern METER_BUILDER = Pattern.compile(
            "\\b(Counter|FunctionCounter|Gauge|Timer|DistributionSummary)\\.builder\\(\\s*([A-Za-z_][A-Za-z0-9_.]*|\"[^\"]+\")");
    private static final String STRING_CONSTANT = "static\\s+final\\s+String\\s+%s\\s*=\\s*\"([^\"]+)\"\\s*;";
    /** Where a builder's options end: they are read only up to its {@code register(}. */
    private static final String REGISTER = ".register(";
    private static final Pattern SAMPLE_NAME = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
    private static final String UNCONNECTED_BOOTSTRAP = "127.0.0.1:9";
    private static final Duration MATCHER_TIMES = Duration.ofMinutes(1);
    private static final Path MAIN_SOURCES = Path.of("src", "main", "java");

    private ExportedMetrics() {
    }

    /** A meter Ngao's code builds: its type, its Micrometer name, and whether it publishes a histogram. */
    record DeclaredMeter(String type, String name, boolean histogram, Path declaredIn) {
    }

    /**
     * Every series name of every service's scrape.
     *
     * @param stateDirectory an empty directory for the matching topology's stores
     */
    static Set<String> seriesNames(Path stateDirectory) {
        try (ServiceMetrics metrics = new ServiceMetrics("deploy-check")) {
            for (DeclaredMeter meter : declaredMeters()) {
                register(meter, metrics.registry());
            }
            return withKafkaClients(metrics, stateDirectory);
        }
    }

    /** The meters built in every module's main sources. */
    static Set<DeclaredMeter> declaredMeters() {
        Set<DeclaredMeter> meters = new TreeSet<>((a, b) -> (a.type() + a.name()).compareTo(b.type() + b.name()));
        for (Path source : mainSources()) {
            String code = DeployFiles.read(source);
            Matcher builder = METER_BUILDER.matcher(code);
            while (builder.find()) {
                int register = code.indexOf(REGISTER, builder.end());
                String options = register < 0 ? "" : code.substring(builder.end(), register);
                meters.add(new DeclaredMeter(builder.group(1), resolve(builder.group(2), code, source),
                        options.contains("publishPercentileHistogram"), source));
            }
        }
        return meters;
    }

    /** A literal, or a String constant of the same file (the convention of every metrics class here). */
    private static String resolve(String argument, String code, Path source) {
        if (argument.startsWith("\"")) {
            return argument.substring(1, argument.length() - 1);
        }
        String constant = argument.substring(argument.lastIndexOf('.') + 1);
        Matcher declaration = Pattern.compile(String.format(STRING_CONSTANT, Pattern.quote(constant))).matcher(code);
        if (!declaration.find()) {
            throw new AssertionError(source + " builds a meter named by " + argument
                    + ", which is not a String constant of that file: name it with a literal or a constant there");
        }
        return declaration.group(1);
    }

    private static void register(DeclaredMeter meter, MeterRegistry registry) {
        switch (meter.type()) {
            case "Counter" -> Counter.builder(meter.name()).register(registry);
            case "FunctionCounter" -> FunctionCounter.builder(meter.name(), meter, ignored -> 0).register(registry);
            case "Gauge" -> Gauge.builder(meter.name(), () -> 0).register(registry);
            case "Timer" -> {
                Timer.Builder timer = Timer.builder(meter.name());
                (meter.histogram() ? timer.publishPercentileHistogram() : timer.publishPercentiles(0.5))
                        .register(registry);
            }
            case "DistributionSummary" -> {
                DistributionSummary.Builder summary = DistributionSummary.builder(meter.name());
                (meter.histogram() ? summary.publishPercentileHistogram() : summary.publishPercentiles(0.5))
                        .register(registry);
            }
            default -> throw new AssertionError("no meter type " + meter.type());
        }
    }

    private static Set<String> withKafkaClients(ServiceMetrics metrics, Path stateDirectory) {
        String registryScope = "exported-metrics-" + UUID.randomUUID();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(),
                     new ByteArraySerializer(), new ByteArraySerializer());
             TopologyTestDriver matcher = reconcilerMatcher(registryScope, stateDirectory)) {
            metrics.bind(consumer);
            metrics.bind(producer);
            metrics.bind(new MetricsOf(matcher));
            return seriesNames(metrics.scrape());
        } finally {
            InMemorySchemaRegistry.dropScope(registryScope);
        }
    }

    private static TopologyTestDriver reconcilerMatcher(String registryScope, Path stateDirectory) {
        InMemorySchemaRegistry registry = InMemorySchemaRegistry.scope(registryScope);
        TopicSerdes<String, RiskDecision> decisions = TopicSerdes.of(Topics.RISK_DECISIONS, registry, true);
        TopicSerdes<String, JournalEntry> entries = TopicSerdes.of(Topics.LEDGER_ENTRIES, registry, true);
        TopicSerdes<String, ReconciliationBreak> breaks = TopicSerdes.of(Topics.RECON_BREAKS, registry, true);
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "deploy-check-exported-metrics");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, UNCONNECTED_BOOTSTRAP);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
        MatchingPolicy policy = new MatchingPolicy(MATCHER_TIMES, MATCHER_TIMES, MATCHER_TIMES);
        return new TopologyTestDriver(ReconcilerTopology.build(policy, decisions, entries, breaks,
                TopicSerdes.of(Topics.AUDIT_RECONCILER, registry, true)), properties);
    }

    /** The metrics of a TopologyTestDriver, where Micrometer's Kafka binder reads a client's. */
    private static final class MetricsOf extends MockProducer<byte[], byte[]> {

        private final TopologyTestDriver driver;

        MetricsOf(TopologyTestDriver driver) {
            this.driver = driver;
        }

        @Override
        public synchronized Map<MetricName, Metric> metrics() {
            return new HashMap<>(driver.metrics());
        }
    }

    private static Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, UNCONNECTED_BOOTSTRAP);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "deploy-check-exported-metrics");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "deploy-check-consumer");
        return properties;
    }

    private static Properties producerProperties() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, UNCONNECTED_BOOTSTRAP);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "deploy-check-producer");
        return properties;
    }

    /** The sample names of a scrape in Prometheus' text format. */
    static Set<String> seriesNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            Matcher sample = SAMPLE_NAME.matcher(line);
            if (!line.startsWith("#") && sample.find()) {
                names.add(sample.group(1));
            }
        }
        return names;
    }

    /** The main sources of every module (a directory of the root with src/main/java). */
    private static Set<Path> mainSources() {
        Set<Path> sources = new TreeSet<>();
        try (Stream<Path> modules = Files.list(DeployFiles.ROOT)) {
            for (Path sourceRoot : modules.map(module -> module.resolve(MAIN_SOURCES)).filter(Files::isDirectory)
                    .toList()) {
                try (Stream<Path> files = Files.walk(sourceRoot)) {
                    files.filter(file -> file.toString().endsWith(".java")).forEach(sources::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sources;
    }
}
