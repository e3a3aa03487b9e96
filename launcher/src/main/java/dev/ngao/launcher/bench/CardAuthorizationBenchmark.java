package dev.ngao.launcher.bench;

import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;
import dev.ngao.ingest.IngestConfig;
import dev.ngao.ingest.auth.AuthSettings;
import dev.ngao.ingest.auth.KeyAdministration;
import dev.ngao.ingest.card.CardAuthorizationRoutes;
import dev.ngao.ingest.card.CardRoutes;
import dev.ngao.launcher.DemoRuleSet;
import dev.ngao.launcher.EmbeddedNgao;
import dev.ngao.launcher.LauncherConfig;
import dev.ngao.launcher.ToolMain;
import dev.ngao.platform.auth.CidrBlock;
import dev.ngao.platform.auth.Environment;
import dev.ngao.platform.auth.KafkaKeyStore;
import dev.ngao.platform.auth.RequestSigner;
import dev.ngao.platform.auth.Scopes;
import dev.ngao.platform.auth.SecretCipher;
import dev.ngao.platform.config.EnvironmentConfig;
import dev.ngao.platform.kafka.KafkaContext;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code ./ngao bench-cards}: card authorizations through the public API of the whole embedded Ngao, with the
 * demo merchant's rule set in force (the shipped catalogue and the demo's review rules, see
 * risk-streams/rulesets/merchant-demo.yaml). A key of the demo merchant with {@code cards:issue},
 * {@code cards:manage}, {@code cards:authorize}, {@code payments:write}, {@code payments:read} and
 * {@code ledger:read} is made for the run (the demo key has none of the card scopes), cards are issued through
 * {@code POST /v1/cards} and loaded ({@link CardFunding}: the merchant funded by collections first, then one load
 * a card), and after an unmeasured warm-up signed, idempotent {@code POST /v1/card-authorizations} (the mix of
 * {@link CardTraffic}) go out open loop at each rate. Per rate it prints the answer latency from the intended
 * send time, how many answers risk decided and how many the timeout default did, the outcomes, the rules the
 * declines name and the HTTP errors.
 *
 * <p>Every card is prepaid: risk declines an authorization beyond the card's funds ({@code insufficient-funds}),
 * so the cards are loaded before the run with far more than a card spends in it, and authorizations are
 * decided on their merits.
 *
 * <pre>
 *   ./ngao bench-cards   NGAO_BENCH_CARDS_RATES (default 200,500), NGAO_BENCH_CARDS_SECONDS (default 30 per rate),
 *                        NGAO_BENCH_CARDS_CARDS (default: 30 per authorization a second of the highest rate)
 * </pre>
 */
public final class CardAuthorizationBenchmark {

    static final String RATES_VARIABLE = "NGAO_BENCH_CARDS_RATES";
    static final String SECONDS_VARIABLE = "NGAO_BENCH_CARDS_SECONDS";
    static final String CARDS_VARIABLE = "NGAO_BENCH_CARDS_CARDS";
    private static final String BENCH_KEY_ID = "bench-cards";
    /** Where the embedded mode keeps its master key (docs/api.md: "Keys of your own"), unless the environment names one. */
    private static final String MASTER_KEY_FILE = "secrets/keys-master-key";
    /**
     * Cards per authorization a second of the highest rate: each card then sees about two authorizations a
     * minute, under the catalogue's five attempts a minute, so only the hot cards run into it.
     */
    private static final int CARDS_PER_RATE = 30;
    private static final int FEWEST_CARDS = 300;
    private static final long MOST_PHASE_SECONDS = 3_600;
    private static final int MOST_CARDS = 200_000;
    private static final double ISSUE_RATE = 500;
    private static final double WARM_UP_RATE = 100;
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration KEY_WAIT = Duration.ofSeconds(30);
    /**
     * More connections than answers can be waiting at 500/s with the 2 s deadline: the client's pool never
     * queues a request before the deadline would.
     */
    private static final int CONNECTIONS = 1_200;
    private static final int RULES_SHOWN = 6;

    private final PrintStream out;

    private CardAuthorizationBenchmark(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        ToolMain.run("bench-cards", args, CardAuthorizationBenchmark::run);
        System.exit(0);
    }

    private static void run(Map<String, String> given) throws Exception {
        Map<String, String> environment = new HashMap<>(given);
        List<Double> rates = rates(environment.getOrDefault(RATES_VARIABLE, "200,500"));
        Duration phase = phase(environment.getOrDefault(SECONDS_VARIABLE, "30"));
        int cardCount = cardCount(environment.get(CARDS_VARIABLE), rates);
        Path data = Files.createTempDirectory("ngao-bench-cards");
        environment.put("NGAO_DATA_DIR", data.toString());
        // Lift the per-key limits of the card routes (5 issuances a minute): they would cap the run, not describe it.
        environment.putIfAbsent(EnvironmentConfig.variableName(AuthSettings.RATE_LIMITS), "* /v1/card* 1000000/1s");
        new CardAuthorizationBenchmark(System.out).run(LauncherConfig.fromEnvironment(environment), environment,
                rates, phase, cardCount);
    }

    /** The offered rates, comma-separated, each positive. */
    static List<Double> rates(String text) {
        return ToolMain.positiveNumbers(Map.of(RATES_VARIABLE, text), RATES_VARIABLE, text);
    }

    /** The length of each rate's phase: 1 s to an hour. */
    static Duration phase(String seconds) {
        return Duration.ofSeconds(ToolMain.wholeNumber(Map.of(SECONDS_VARIABLE, seconds), SECONDS_VARIABLE, 30, 1,
                MOST_PHASE_SECONDS));
    }

    /** The cards to issue: as given, or 30 per authorization a second of the highest rate; 300 to 200,000. */
    static int cardCount(String given, List<Double> rates) {
        long count = given == null || given.isBlank()
                ? Math.round(Collections.max(rates) * CARDS_PER_RATE)
                : ToolMain.wholeNumber(Map.of(CARDS_VARIABLE, given), CARDS_VARIABLE, FEWEST_CARDS, 1, Long.MAX_VALUE);
        return (int) Math.max(FEWEST_CARDS, Math.min(MOST_CARDS, count));
    }

    private void run(LauncherConfig config, Map<String, String> environment, List<Double> rates, Duration phase,
                     int cardCount) throws Exception {
        try (EmbeddedNgao ngao = new EmbeddedNgao(config, environment)) {
            ngao.start();
            Vertx vertx = Vertx.vertx();
            try (KafkaContext kafka = KafkaContext.connect(ngao.kafkaSettings())) {
                RuleSetPublished rules = DemoRuleSet.publish(kafka, Clock.systemUTC());
                RequestSigner signer = benchKey(kafka, environment, config.dataDirectory(), ngao.demoMerchantId());
                URI cardsTarget = URI.create(ngao.ingestBaseUrl() + CardRoutes.CARDS_PATH);
                URI authorizationsTarget = URI.create(ngao.ingestBaseUrl()
                        + CardAuthorizationRoutes.CARD_AUTHORIZATIONS_PATH);
                CardTraffic traffic = new CardTraffic(new SplittableRandom(13));
                OpenLoopLoad load = new OpenLoopLoad(vertx, CONNECTIONS);
                List<CardTraffic.Card> cards = issueCards(load, signer, cardsTarget, traffic, cardCount);
                printFunding(new CardFunding(signer, ngao.ingestBaseUrl(), ngao.ledgerBaseUrl(),
                        ngao.demoMerchantId(), out).load(cards));
                printWhatRuns(rules, environment, cards, phase);
                load.run("warm-up", authorizationsTarget, authorizations(traffic, cards, signer,
                        authorizationsTarget, "warm"), WARM_UP_RATE, WARM_UP, 200);
                out.printf(Locale.ROOT, "%9s %9s %10s %10s %10s %10s %10s %9s %7s %9s %7s %9s %9s %7s%n",
                        "offered/s", "sent/s", "answered/s", "p50", "p99", "p99.9", "max", "by risk", "risk",
                        "timeout", "timeout", "approved", "declined", "errors");
                int phaseNumber = 0;
                for (double rate : rates) {
                    phaseNumber++;
                    String prefix = "p" + phaseNumber;
                    CardAnswerTally tally = new CardAnswerTally();
                    OpenLoopLoad.Result http = load.run(prefix, authorizationsTarget, authorizations(traffic, cards,
                                    signer, authorizationsTarget, prefix), rate, phase, 200,
                            (body, latencyNanos) -> tally.record(body.toString(StandardCharsets.UTF_8), latencyNanos));
                    printPhase(rate, http, tally.summary(), rules.getVersion());
                }
                load.close();
            } finally {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A sandbox key of the demo merchant that may issue cards and authorize on them, from this machine only,
     * made as {@code ngao keys create} makes one: with the master key the environment names, or else the one
     * the embedded mode keeps in its data directory.
     */
    private static RequestSigner benchKey(KafkaContext kafka, Map<String, String> environment, Path dataDirectory,
                                          String merchantId) throws Exception {
        String masterKey = environment.get(EnvironmentConfig.variableName(AuthSettings.MASTER_KEY));
        if (masterKey == null || masterKey.isBlank()) {
            masterKey = Files.readString(dataDirectory.resolve(MASTER_KEY_FILE), StandardCharsets.US_ASCII).trim();
        }
        try (KafkaKeyStore store = new KafkaKeyStore(kafka, new SecretCipher(SecretCipher.decodeMasterKey(masterKey),
                new SecureRandom()), "ngao-bench-cards-keys").start()) {
            KeyAdministration.IssuedSecret issued = new KeyAdministration(store, Clock.systemUTC(), new SecureRandom())
                    .create(new KeyAdministration.NewKey(BENCH_KEY_ID, merchantId, Environment.SANDBOX,
                            Set.of(Scopes.CARDS_ISSUE, Scopes.CARDS_MANAGE, Scopes.CARDS_AUTHORIZE,
                                    Scopes.PAYMENTS_WRITE, Scopes.PAYMENTS_READ, Scopes.LEDGER_READ),
                            List.of(CidrBlock.parse("127.0.0.0/8"), CidrBlock.parse("::1/128")), Set.of(),
                            Duration.ofDays(1)));
            return new RequestSigner(issued.keyId(), issued.secret());
        }
    }

    /**
     * Issues the first card alone, retried until ingest knows the new key (it follows the key topic), then the
     * rest open loop; returns the cards ingest answered 201 for.
     */
    private List<CardTraffic.Card> issueCards(OpenLoopLoad load, RequestSigner signer, URI target,
                                              CardTraffic traffic, int count) throws Exception {
        List<CardTraffic.Card> cards = Collections.synchronizedList(new ArrayList<>());
        cards.add(issueFirstCard(signer, target, traffic));
        long[] holder = {1};
        OpenLoopLoad.Requests issues = () -> signed(signer, target,
                traffic.cardToIssue("bench-holder-" + (++holder[0])));
        Duration issuing = Duration.ofNanos(Math.round((count - 1) * 1e9 / ISSUE_RATE));
        OpenLoopLoad.Result issued = load.run("issue", target, issues, ISSUE_RATE, issuing, 201,
                (body, latencyNanos) -> cards.add(card(new JsonObject(body))));
        if (issued.errorCount() > 0) {
            out.println("card issuance errors: " + issued.errors());
        }
        return List.copyOf(cards);
    }

    private static CardTraffic.Card issueFirstCard(RequestSigner signer, URI target, CardTraffic traffic)
            throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + KEY_WAIT.toNanos();
        JsonObject body = traffic.cardToIssue("bench-holder-1");
        while (true) {
            OpenLoopLoad.Request request = signed(signer, target, body);
            HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.body().getBytes()));
            request.headers().forEach(builder::header);
            HttpResponse<String> answer = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 201) {
                return card(new JsonObject(answer.body()));
            }
            // 401 until ingest has read the new key from the key topic; a refused request wrote nothing.
            if (answer.statusCode() != 401 || System.nanoTime() > deadline) {
                throw new IllegalStateException("issuing the first card answered " + answer.statusCode() + ": "
                        + answer.body());
            }
            Thread.sleep(200);
        }
    }

    private static CardTraffic.Card card(JsonObject issued) {
        return new CardTraffic.Card(issued.getString("cardId"), issued.getString("currency"));
    }

    /** Authorizations of the mix, each named by the phase and its number, signed when due, idempotent. */
    private static OpenLoopLoad.Requests authorizations(CardTraffic traffic, List<CardTraffic.Card> cards,
                                                        RequestSigner signer, URI target, String prefix) {
        long[] sequence = {0};
        return () -> signed(signer, target, traffic.next(cards, prefix + "-" + (++sequence[0])).json());
    }

    /** A signed POST of {@code body} with a fresh Idempotency-Key, signed now (at its due time). */
    private static OpenLoopLoad.Request signed(RequestSigner signer, URI target, JsonObject body) {
        byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
        MultiMap headers = HttpHeaders.headers();
        signer.sign("POST", target, bytes).asMap().forEach(headers::add);
        headers.add("Content-Type", "application/json");
        headers.add("Idempotency-Key", UUID.randomUUID().toString());
        return new OpenLoopLoad.Request(headers, Buffer.buffer(bytes));
    }

    /** The first line: what is in force and how ingest answers, so every phase below is labelled by it. */
    private void printWhatRuns(RuleSetPublished rules, Map<String, String> environment, List<CardTraffic.Card> cards,
                               Duration phase) {
        long shadow = rules.getRules().stream().filter(rule -> rule.getMode() == RuleMode.SHADOW).count();
        Map<String, Long> byCurrency = cards.stream().collect(Collectors.groupingBy(CardTraffic.Card::currency,
                TreeMap::new, Collectors.counting()));
        out.printf(Locale.ROOT, "card authorization benchmark: embedded Ngao, %s rule set %s in force (%d rules: "
                        + "%d enforced, %d shadow), deadline %s ms, timeout outcome %s; %d cards (%s), loaded; "
                        + "signed, idempotent POST %s open loop, %s s per rate after a %d s warm-up at %.0f/s%n",
                rules.getMerchantId(), rules.getVersion(), rules.getRules().size(), rules.getRules().size() - shadow,
                shadow, ingestSetting(environment, IngestConfig.CARD_AUTHORIZATION_DEADLINE_MS),
                ingestSetting(environment, IngestConfig.CARD_AUTHORIZATION_TIMEOUT_OUTCOME), cards.size(),
                byCurrency.entrySet().stream().map(entry -> entry.getValue() + " " + entry.getKey())
                        .collect(Collectors.joining(", ")),
                CardAuthorizationRoutes.CARD_AUTHORIZATIONS_PATH, phase.toSeconds(), WARM_UP.toSeconds(),
                WARM_UP_RATE);
    }

    /** How the cards were funded: the merchant's balance, the collections, the loads and any card left without. */
    private void printFunding(CardFunding.Summary funding) {
        out.printf(Locale.ROOT, "funding: %d collections made the demo merchant's available %s; %d cards loaded "
                        + "(%s each, %d loads sent again), in %.1f s%n", funding.collections(),
                funding.availableMinor().entrySet().stream()
                        .map(entry -> CardTraffic.decimal(entry.getValue(), entry.getKey()) + " " + entry.getKey())
                        .collect(Collectors.joining(", ")),
                funding.loaded(), CardFunding.LOAD_MINOR.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(entry -> CardTraffic.decimal(entry.getValue(), entry.getKey()) + " " + entry.getKey())
                        .collect(Collectors.joining(" or ")),
                funding.reloads(), funding.took().toMillis() / 1000.0);
        if (!funding.unfundedByReason().isEmpty()) {
            out.println("  WARNING: cards left without funds, by the last load's outcome: "
                    + funding.unfundedByReason());
        }
    }

    /** A setting of ingest as the embedded mode passes it on: the environment's value, else the default. */
    private static String ingestSetting(Map<String, String> environment, String key) {
        String given = environment.get(EnvironmentConfig.variableName(key));
        return given != null ? given.trim() : String.valueOf(IngestConfig.DEFINITION.configKeys().get(key).defaultValue);
    }

    private void printPhase(double rate, OpenLoopLoad.Result http, CardAnswerTally.Summary answers,
                            String versionInForce) {
        out.printf(Locale.ROOT, "%9.0f %9.0f %10.0f %7.1f ms %7.1f ms %7.1f ms %7.1f ms %9d %6.1f%% %9d %6.1f%% %9d "
                        + "%9d %7d%n", rate, http.sendRate(), http.achievedRate(), http.p50Millis(), http.p99Millis(),
                http.p999Millis(), http.maxMillis(), answers.byRisk(), 100 * answers.riskShare(), answers.byTimeout(),
                100 * answers.timeoutShare(), answers.approved(), answers.declined(), http.errorCount());
        out.printf(Locale.ROOT, "  risk-decided p99 %.1f ms, timeout answers p50 %.1f ms; risk reviews answered "
                        + "DECLINE %d; declines name: %s%n", answers.riskP99Millis(), answers.timeoutP50Millis(),
                answers.reviewsDeclined(), answers.declinesByRule().entrySet().stream().limit(RULES_SHOWN)
                        .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", ")));
        if (http.errorCount() > 0) {
            out.println("  HTTP errors: " + http.errors());
        }
        if (answers.unreadable() > 0) {
            out.println("  answers not of the documented shape: " + answers.unreadable());
        }
        if (!answers.ruleSetVersions().stream().allMatch(versionInForce::equals)) {
            out.println("  WARNING: reasons name rule-set versions other than " + versionInForce + ": "
                    + answers.ruleSetVersions());
        }
    }
}
