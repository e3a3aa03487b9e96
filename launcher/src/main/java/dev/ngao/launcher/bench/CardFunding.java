package dev.ngao.launcher.bench;

import dev.ngao.ingest.card.CardRoutes;
import dev.ngao.ingest.payment.PaymentRoutes;
import dev.ngao.platform.auth.RequestSigner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * Puts money on every card of {@code ./ngao bench-cards} before anything is measured, as a card programme funds
 * its prepaid cards: risk declines an authorization beyond a card's funds ({@code insufficient-funds}), so an
 * unloaded card would be declined whatever else it did. A load moves the merchant's available balance onto the
 * card, and the ledger refuses one the merchant cannot fund (risk then takes it back out), so the demo merchant
 * is funded first: mobile-money collections in each card currency, which the sandbox's hub confirms within
 * seconds (9 in 10), until the ledger shows enough available. Then one signed, idempotent
 * {@code POST /v1/cards/{cardId}/loads} per card, each followed to risk's decision through
 * {@code GET /v1/payments/{id}}; a declined load is sent again (at most three times in all).
 *
 * <p>PagoEfectivo's money would be available only after its daily settlement report, so PEN cards are funded
 * through the hub too: a sandbox convenience, no real hub carries PEN.
 */
final class CardFunding {

    /**
     * What each card is loaded with: far above a card's everyday spend in a run (CardTraffic's purchases are
     * around 800 KES or 25 PEN, at most 50,000 KES or 1,500 PEN, a card sees a few), within the demo rule set's
     * per-transaction limits and below its KES review band.
     */
    static final Map<String, Long> LOAD_MINOR = Map.of("KES", 2_000_000L, "PEN", 60_000L);
    /** One funding collection: within the demo rule set's per-transaction limits, below its KES review band. */
    static final Map<String, Long> COLLECTION_MINOR = Map.of("KES", 9_000_000L, "PEN", 450_000L);
    /** Collections the sandbox confirms, with a margin: its default confirms 90 in 100. */
    static final double EXPECTED_CONFIRMED_SHARE = 0.8;
    private static final Map<String, String> WALLET_PREFIX = Map.of("KES", "+2547", "PEN", "+519");
    private static final Map<String, String> WALLET_COUNTRY = Map.of("KES", "KE", "PEN", "PE");
    private static final int IN_FLIGHT = 64;
    private static final int FUNDING_ROUNDS = 5;
    private static final int LOAD_ATTEMPTS = 3;
    /**
     * A round of collections is settled when the available balance has not moved for this long: a collection
     * goes through risk, the reconciler's submission, the sandbox (a second) and its webhook before the ledger
     * makes it available, which takes seconds on a loaded machine.
     */
    private static final Duration SETTLED_AFTER = Duration.ofSeconds(30);
    private static final Duration DECISIONS_WAIT = Duration.ofSeconds(90);
    private static final Duration POLL_PAUSE = Duration.ofMillis(500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** How long the ledger may take to know the key made for the run (it follows the key topic). */
    private static final Duration KEY_WAIT = Duration.ofSeconds(30);
    private static final String IN_REVIEW = "IN_REVIEW";

    /** What funding did: per currency the merchant's available balance before the loads, and the cards' loads. */
    record Summary(Map<String, Long> availableMinor, int collections, int loaded, int reloads,
                   Map<String, Long> unfundedByReason, Duration took) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final RequestSigner signer;
    private final String ingestBaseUrl;
    private final String ledgerBaseUrl;
    private final String merchantId;
    private final PrintStream out;
    private long sequence;

    CardFunding(RequestSigner signer, String ingestBaseUrl, String ledgerBaseUrl, String merchantId,
                PrintStream out) {
        this.signer = signer;
        this.ingestBaseUrl = ingestBaseUrl;
        this.ledgerBaseUrl = ledgerBaseUrl;
        this.merchantId = merchantId;
        this.out = out;
    }

    /** Funds the merchant, then loads every card; returns what it did (cards whose loads were all declined too). */
    Summary load(List<CardTraffic.Card> cards) throws Exception {
        long startNanos = System.nanoTime();
        Map<String, Long> neededMinor = neededMinor(cards);
        Map<String, Long> availableMinor = new TreeMap<>();
        int collections = 0;
        for (Map.Entry<String, Long> need : neededMinor.entrySet()) {
            String currency = need.getKey();
            long available = availableMinor(currency);
            for (int round = 0; round < FUNDING_ROUNDS && available < need.getValue(); round++) {
                int count = collectionsFor(need.getValue() - available, currency);
                collectAll(currency, count);
                collections += count;
                available = awaitSettled(currency, need.getValue());
            }
            if (available < need.getValue()) {
                throw new IllegalStateException("the demo merchant has " + available + " minor units of " + currency
                        + " available after " + FUNDING_ROUNDS + " rounds of collections; the loads need "
                        + need.getValue());
            }
            availableMinor.put(currency, available);
        }
        Loads loads = loadAll(cards);
        return new Summary(availableMinor, collections, loads.loaded(), loads.reloads(), loads.unfundedByReason(),
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Every card's load, summed by currency. */
    static Map<String, Long> neededMinor(List<CardTraffic.Card> cards) {
        Map<String, Long> needed = new TreeMap<>();
        cards.forEach(card -> needed.merge(card.currency(), LOAD_MINOR.get(card.currency()), Math::addExact));
        return needed;
    }

    /** Collections to send for {@code shortMinor} more available, with the margin for those the sandbox fails. */
    static int collectionsFor(long shortMinor, String currency) {
        double perCollection = COLLECTION_MINOR.get(currency) * EXPECTED_CONFIRMED_SHARE;
        return (int) Math.max(1, Math.ceil(shortMinor / perCollection));
    }

    /** The body of one funding collection: a wallet of its own each, so no wallet nears its limits or velocity. */
    static JsonObject collection(String currency, long sequence) {
        return new JsonObject()
                .put("type", "MOBILE_MONEY_COLLECTION")
                .put("amount", CardTraffic.decimal(COLLECTION_MINOR.get(currency), currency))
                .put("currency", currency)
                .put("msisdn", WALLET_PREFIX.get(currency) + String.format(Locale.ROOT, "%08d", sequence))
                .put("operator", "MPESA")
                .put("country", WALLET_COUNTRY.get(currency))
                .put("merchantReference", "bench-funding-" + sequence);
    }

    /** The body of one card's load. */
    static JsonObject load(CardTraffic.Card card, long sequence) {
        return new JsonObject()
                .put("amount", CardTraffic.decimal(LOAD_MINOR.get(card.currency()), card.currency()))
                .put("currency", card.currency())
                .put("merchantReference", "bench-load-" + sequence);
    }

    private void collectAll(String currency, int count) throws Exception {
        URI target = URI.create(ingestBaseUrl + PaymentRoutes.PAYMENTS_PATH);
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            sent.add(send("POST", target, collection(currency, ++sequence).encode()));
        }
        Map<Integer, Long> refused = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> answer : sent) {
            int status = answer.get().statusCode();
            if (status != 202) {
                refused.merge(status, 1L, Long::sum);
            }
        }
        if (!refused.isEmpty()) {
            out.println("funding collections not accepted, by HTTP status: " + refused);
        }
    }

    /** Waits until the merchant's available balance covers {@code neededMinor} or stops moving; returns it. */
    private long awaitSettled(String currency, long neededMinor) throws Exception {
        long available = availableMinor(currency);
        long movedAtNanos = System.nanoTime();
        while (available < neededMinor && System.nanoTime() - movedAtNanos < SETTLED_AFTER.toNanos()) {
            Thread.sleep(POLL_PAUSE.toMillis());
            long now = availableMinor(currency);
            if (now != available) {
                available = now;
                movedAtNanos = System.nanoTime();
            }
        }
        return available;
    }

    /** The merchant's available balance in the ledger; 0 while it has no account in the currency. */
    private long availableMinor(String currency) throws Exception {
        URI target = URI.create(ledgerBaseUrl + "/v1/owners/merchant/" + merchantId + "/balances/" + currency);
        HttpResponse<String> answer = send("GET", target, "").get();
        long deadline = System.nanoTime() + KEY_WAIT.toNanos();
        while (answer.statusCode() == 401 && System.nanoTime() < deadline) {
            // Until the ledger has read the new key from the key topic.
            Thread.sleep(POLL_PAUSE.toMillis());
            answer = send("GET", target, "").get();
        }
        if (answer.statusCode() == 404) {
            return 0L;
        }
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the ledger answered " + answer.statusCode() + " for the balance in "
                    + currency + ": " + answer.body());
        }
        return new JsonObject(answer.body()).getLong("availableMinor");
    }

    private record Loads(int loaded, int reloads, Map<String, Long> unfundedByReason) {
    }

    /** One load per card, each followed to its decision; declined ones are sent again, at most three in all. */
    private Loads loadAll(List<CardTraffic.Card> cards) throws Exception {
        List<CardTraffic.Card> toLoad = cards;
        Map<String, String> lastReason = new ConcurrentHashMap<>();
        int loaded = 0;
        int reloads = 0;
        for (int attempt = 1; attempt <= LOAD_ATTEMPTS && !toLoad.isEmpty(); attempt++) {
            if (attempt > 1) {
                reloads += toLoad.size();
            }
            Map<String, CardTraffic.Card> pending = sendLoads(toLoad);
            List<CardTraffic.Card> declined = new ArrayList<>();
            loaded += awaitDecisions(pending, declined, lastReason);
            toLoad = declined;
        }
        Map<String, Long> unfunded = new TreeMap<>(toLoad.stream().collect(Collectors.groupingBy(
                card -> lastReason.getOrDefault(card.cardId(), "not accepted"), Collectors.counting())));
        lastReason.forEach((cardId, reason) -> {
            if (reason.equals(IN_REVIEW)) {
                unfunded.merge(reason, 1L, Long::sum);
            }
        });
        return new Loads(loaded, reloads, unfunded);
    }

    /** Sends one load per card; returns the cards by the load's transaction id. */
    private Map<String, CardTraffic.Card> sendLoads(List<CardTraffic.Card> cards) throws Exception {
        Map<CardTraffic.Card, CompletableFuture<HttpResponse<String>>> sent = new HashMap<>();
        for (CardTraffic.Card card : cards) {
            URI target = URI.create(ingestBaseUrl + CardRoutes.CARDS_PATH + "/" + card.cardId() + "/loads");
            sent.put(card, send("POST", target, load(card, ++sequence).encode()));
        }
        Map<String, CardTraffic.Card> pending = new HashMap<>();
        Map<Integer, Long> refused = new TreeMap<>();
        for (Map.Entry<CardTraffic.Card, CompletableFuture<HttpResponse<String>>> entry : sent.entrySet()) {
            HttpResponse<String> answer = entry.getValue().get();
            if (answer.statusCode() == 202) {
                pending.put(new JsonObject(answer.body()).getString("transactionId"), entry.getKey());
            } else {
                refused.merge(answer.statusCode(), 1L, Long::sum);
            }
        }
        if (!refused.isEmpty()) {
            out.println("card loads not accepted, by HTTP status: " + refused);
        }
        return pending;
    }

    /**
     * Follows each load to risk's decision (bounded) and returns how many were approved: a decline adds its card
     * to {@code declined} with the first rule it names, to be sent again; a review is not (it would wait for an
     * analyst); loads still undecided at the bound count as declined.
     */
    private int awaitDecisions(Map<String, CardTraffic.Card> pending, List<CardTraffic.Card> declined,
                               Map<String, String> lastReason) throws Exception {
        int approved = 0;
        Map<String, CardTraffic.Card> waiting = new HashMap<>(pending);
        long deadline = System.nanoTime() + DECISIONS_WAIT.toNanos();
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            Map<String, CompletableFuture<HttpResponse<String>>> asked = new HashMap<>();
            waiting.keySet().forEach(transactionId -> asked.put(transactionId, send("GET",
                    URI.create(ingestBaseUrl + PaymentRoutes.PAYMENTS_PATH + "/" + transactionId), "")));
            for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> entry : asked.entrySet()) {
                HttpResponse<String> answer = entry.getValue().get();
                if (answer.statusCode() != 200) {
                    continue;
                }
                JsonObject status = new JsonObject(answer.body());
                String state = status.getString("status");
                if ("APPROVED".equals(state)) {
                    waiting.remove(entry.getKey());
                    approved++;
                } else if (IN_REVIEW.equals(state)) {
                    lastReason.put(waiting.remove(entry.getKey()).cardId(), IN_REVIEW);
                } else if ("DECLINED".equals(state)) {
                    CardTraffic.Card card = waiting.remove(entry.getKey());
                    declined.add(card);
                    lastReason.put(card.cardId(), firstRule(status));
                }
            }
            if (!waiting.isEmpty()) {
                Thread.sleep(POLL_PAUSE.toMillis());
            }
        }
        waiting.values().forEach(card -> {
            declined.add(card);
            lastReason.put(card.cardId(), "undecided");
        });
        return approved;
    }

    private static String firstRule(JsonObject status) {
        JsonObject decision = status.getJsonObject("decision");
        JsonArray reasons = decision == null ? null : decision.getJsonArray("reasons");
        return reasons == null || reasons.isEmpty() ? "declined" : reasons.getJsonObject(0).getString("ruleId");
    }

    /** A signed request, at most {@value #IN_FLIGHT} in flight; a POST gets a fresh Idempotency-Key. */
    private CompletableFuture<HttpResponse<String>> send(String method, URI target, String body) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest.Builder request = signer.sign(method, target, body).applyTo(HttpRequest.newBuilder(target))
                .timeout(REQUEST_TIMEOUT)
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (!body.isEmpty()) {
            request.header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete((answer, failure) -> inFlight.release());
    }
}
