package dev.ngao.launcher.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ngao.events.JournalEntry;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ReconciliationBreak;
import dev.ngao.events.RiskDecision;
import dev.ngao.launcher.faults.Observations.Break;
import dev.ngao.launcher.faults.Observations.Decision;
import dev.ngao.launcher.faults.Observations.Entry;
import dev.ngao.launcher.faults.Observations.LedgerState;
import dev.ngao.launcher.faults.Observations.Posting;
import dev.ngao.launcher.faults.Observations.ReportRun;
import dev.ngao.launcher.faults.Observations.Request;
import dev.ngao.launcher.faults.Observations.RequestRecord;
import dev.ngao.launcher.faults.Observations.Totals;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.kafka.ConsumerLoop;
import dev.ngao.platform.kafka.KafkaContext;
import dev.ngao.providers.ProviderKind;
import dev.ngao.sandbox.provider.ProviderSandbox;
import dev.ngao.sandbox.provider.SettlementReports;
import dev.ngao.sandbox.provider.SimulatedProvider;
import dev.ngao.schemas.topics.Topic;
import dev.ngao.schemas.topics.Topics;
import dev.ngao.ingest.IngestService;
import dev.ngao.platform.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Gathers {@link Observations} of a running Ngao: every record of payments.requests, risk.decisions,
 * ledger.entries and recon.breaks (assign()-only, read_committed consumers from the beginning to the end offsets
 * seen at the start, so nothing a service relies on moves), the ledger's trial balance and sequences over its
 * API (signed with the operator key), and what the provider sandbox, which runs in the suite's own process and
 * so outlives every kill, was asked and did.
 */
final class PipelineObserver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** ingest-service's consumer group on providers.status-queries (its status-query intake). */
    private static final String STATUS_QUERY_GROUP = IngestService.NAME + "-status-queries";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaContext kafka;
    private final String ledgerBaseUrl;
    private final String reconcilerBaseUrl;
    private final Map<String, String> healthUrls;
    private final RequestSigner operator;
    private final ProviderSandbox sandbox;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param healthUrls each service's health check, by service name
     */
    PipelineObserver(KafkaContext kafka, String ledgerBaseUrl, String reconcilerBaseUrl, Map<String, String> healthUrls,
                     RequestSigner operator, ProviderSandbox sandbox) {
        this.kafka = kafka;
        this.ledgerBaseUrl = ledgerBaseUrl;
        this.reconcilerBaseUrl = reconcilerBaseUrl;
        this.healthUrls = Map.copyOf(healthUrls);
        this.operator = operator;
        this.sandbox = sandbox;
    }

    Observations observe(List<PaymentDriver.Payment> payments, List<ReportRun> reportRuns)
            throws IOException, InterruptedException {
        List<Request> requests = payments.stream()
                .map(payment -> new Request(payment.key(), payment.status(), payment.transactionId())).toList();
        // The ledger first: what it says then is at most what its topic holds afterwards.
        LedgerState ledger = ledger();
        List<RequestRecord> requestRecords = read(Topics.PAYMENT_REQUESTS,
                (PaymentRequest request) -> new RequestRecord(request.getTransactionId(),
                        request.getMerchantReference()));
        List<Decision> decisions = read(Topics.RISK_DECISIONS, (RiskDecision decision) -> new Decision(
                decision.getTransactionId(), decision.getKind().name(), decision.getOutcome().name()));
        List<Entry> entries = read(Topics.LEDGER_ENTRIES, PipelineObserver::entry);
        List<Break> breaks = read(Topics.RECON_BREAKS, (ReconciliationBreak found) -> new Break(found.getBreakId(),
                found.getKind().name(), found.getTransactionId(), found.getCleared()));
        Map<String, Integer> submissions = new HashMap<>();
        Map<String, String> outcomes = new HashMap<>();
        Instant now = Instant.now();
        Set<String> transactionIds = transactionIds(requestRecords);
        for (ProviderKind kind : ProviderKind.values()) {
            SimulatedProvider provider = sandbox.provider(kind);
            submissionCounts(transactionIds, provider::submissions)
                    .forEach((id, count) -> submissions.merge(id, count, Integer::sum));
            for (String id : transactionIds) {
                provider.find(id).map(payment -> payment.statusAt(now).name())
                        .ifPresent(status -> outcomes.put(id, status));
            }
        }
        return new Observations(requests, requestRecords, decisions, entries, ledger, submissions, outcomes, breaks,
                reportRuns, statusQueryLag(), health());
    }

    /**
     * Each transaction once: a request the relay wrote twice (after a crash) is two records of one payment, and
     * counting its submissions per record would report one call as two.
     */
    static Set<String> transactionIds(List<RequestRecord> requestRecords) {
        Set<String> ids = new LinkedHashSet<>();
        requestRecords.forEach(record -> ids.add(record.transactionId()));
        return ids;
    }

    /** The transactions a provider took at least once, with how many submissions it counted for each. */
    static Map<String, Integer> submissionCounts(Set<String> transactionIds, ToIntFunction<String> submissionsOf) {
        Map<String, Integer> counts = new HashMap<>();
        for (String id : transactionIds) {
            int count = submissionsOf.applyAsInt(id);
            if (count > 0) {
                counts.put(id, count);
            }
        }
        return counts;
    }

    /** Each service's health check status; 0 when it does not answer. */
    private Map<String, Integer> health() throws InterruptedException {
        Map<String, Integer> statuses = new TreeMap<>();
        for (Map.Entry<String, String> service : healthUrls.entrySet()) {
            try {
                statuses.put(service.getKey(), http.send(HttpRequest.newBuilder(URI.create(service.getValue()))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode());
            } catch (IOException e) {
                statuses.put(service.getKey(), 0);
            }
        }
        return statuses;
    }

    /** How many records of providers.status-queries ingest's intake has not committed yet, over all partitions. */
    private long statusQueryLag() {
        try (Admin admin = Admin.create(KafkaClients.admin(kafka.settings(), "ngao-fault-suite-lag"))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(STATUS_QUERY_GROUP)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.PROVIDER_STATUS_QUERIES.name()))
                    .allTopicNames().get(30, TimeUnit.SECONDS).get(Topics.PROVIDER_STATUS_QUERIES.name()).partitions()
                    .stream().map(info -> new TopicPartition(Topics.PROVIDER_STATUS_QUERIES.name(), info.partition()))
                    .toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            long lag = 0;
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata done = committed.get(partition);
                lag += ends.get(partition).offset() - (done == null ? 0 : done.offset());
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static Entry entry(JournalEntry entry) {
        List<Posting> postings = entry.getPostings().stream().map(posting -> new Posting(posting.getAccount(),
                posting.getSide().name(), posting.getAmount().getAmountMinor(), posting.getAmount().getCurrency()))
                .toList();
        return new Entry(entry.getEntryId(), entry.getSequence(), entry.getTransactionId(), entry.getSourceEventId(),
                entry.getKind(), postings, entry.getPostedAt().toEpochMilli(), entry.getPreviousHash(),
                entry.getHash());
    }

    /** Every record of {@code topic} up to its end offsets now, mapped. */
    private <V, R> List<R> read(Topic<String, V> topic, Function<V, R> mapping) {
        List<R> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = kafka.consumer(topic, "ngao-fault-suite-" + topic.name(), null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            // Stepped on this thread, nothing committed; an undecodable record ends the read with its exception.
            ConsumerLoop toEnd = ConsumerLoop.builder("ngao-fault-suite-" + topic.name())
                    .pollTimeout(POLL)
                    .source(consumer, ConsumerLoop.eachValue(value -> records.add(mapping.apply(value))),
                            ConsumerLoop.Commit.NONE, ConsumerLoop.Undecodable.STOP)
                    .build();
            // position() passes transaction markers too, so a read_committed reader reaches the end offsets.
            while (!ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                toEnd.pollOnce();
            }
        }
        return records;
    }

    private LedgerState ledger() throws IOException, InterruptedException {
        JsonNode health = JSON.readTree(get(ledgerBaseUrl + "/health", false));
        JsonNode trial = JSON.readTree(get(ledgerBaseUrl + "/v1/trial-balance", true));
        Map<String, Totals> totals = new TreeMap<>();
        trial.path("currencies").forEach(currency -> totals.put(currency.path("currency").asText(),
                new Totals(currency.path("debitsMinor").asLong(), currency.path("creditsMinor").asLong())));
        return new LedgerState(trial.path("balanced").asBoolean(false), totals,
                health.path("lastSequence").asLong(-1), health.path("publishedSequence").asLong(-1));
    }

    private String get(String url, boolean signed) throws IOException, InterruptedException {
        URI uri = URI.create(url);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET();
        if (signed) {
            operator.sign("GET", uri, new byte[0]).applyTo(builder);
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * Reconciles the provider's settlement report of every day from {@code firstDay} to today (in the provider's
     * zone) through the reconciler's upload API, signed with the operator key: the report is the sandbox's own
     * record of what it settled, with no misbehaviour, so any break it raises is the faults'.
     */
    List<ReportRun> reconcileReports(ProviderKind kind, Instant since) throws IOException, InterruptedException {
        List<ReportRun> runs = new ArrayList<>();
        LocalDate today = Instant.now().atZone(kind.settlementZone()).toLocalDate();
        for (LocalDate day = since.atZone(kind.settlementZone()).toLocalDate(); !day.isAfter(today);
             day = day.plusDays(1)) {
            StringWriter csv = new StringWriter();
            SettlementReports.write(sandbox.report(kind, day), csv);
            byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
            URI uri = URI.create(reconcilerBaseUrl + "/v1/reports/" + kind.id() + "/" + day);
            HttpRequest request = operator.sign("POST", uri, body).applyTo(HttpRequest.newBuilder(uri))
                    .timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                runs.add(new ReportRun(kind.id(), day.toString(), 0, 0, 0, false));
                continue;
            }
            JsonNode summary = JSON.readTree(response.body());
            runs.add(new ReportRun(kind.id(), day.toString(), summary.path("rows").asLong(),
                    summary.path("matched").asLong(), summary.path("breaks").asLong(), true));
        }
        return runs;
    }

    @Override
    public void close() {
        kafka.close();
    }
}
