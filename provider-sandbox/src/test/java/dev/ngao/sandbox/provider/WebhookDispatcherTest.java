package dev.ngao.sandbox.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ngao.events.Money;
import dev.ngao.platform.webhook.WebhookVerdict;
import dev.ngao.providers.ProviderKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookDispatcherTest {

    private static final String SECRET = "sandbox-webhook-secret-0123456789";
    private static final Duration TOLERANCE = Duration.ofMinutes(5);

    /** A call as the ingest service would receive it. */
    private record Call(String path, Map<String, String> headers, byte[] body) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<WebhookDispatcher.Sent> sent = new CopyOnWriteArrayList<>();
    private final List<Integer> answers = new CopyOnWriteArrayList<>();

    private WebhookDispatcher dispatcher() {
        Map<ProviderKind, String> secrets = new EnumMap<>(ProviderKind.class);
        for (ProviderKind kind : ProviderKind.values()) {
            secrets.put(kind, SECRET);
        }
        return new WebhookDispatcher((path, headers, body) -> {
            Map<String, String> received = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            received.putAll(headers);
            calls.add(new Call(path, received, body));
            return CompletableFuture.completedFuture(answers.isEmpty() ? 200 : answers.remove(0));
        }, secrets, Duration.ofHours(2), Clock.systemUTC(), sent::add);
    }

    private static List<Delivery> plan(ProviderKind kind, Misbehaviour misbehaviour) {
        SimulatedProvider provider = new SimulatedProvider(kind, misbehaviour, 100, Duration.ZERO, Clock.systemUTC(),
                injection -> { });
        String currency = kind == ProviderKind.MOBILE_MONEY_HUB ? "KES" : kind == ProviderKind.PAGOEFECTIVO ? "PEN" : "USD";
        return provider.submit("txn-" + kind.ordinal(), new Money(5_000L, currency), null).deliveries();
    }

    private static WebhookVerdict verdict(ProviderKind kind, Call call) {
        return Dialect.of(kind).scheme().verify(call.headers()::get, call.body(),
                List.of(SECRET.getBytes(StandardCharsets.UTF_8)), Instant.now(), TOLERANCE);
    }

    @Test
    void shouldSignSoThatThePlatformSchemeAcceptsGenuineAndRefusesForgedAndStaleCalls() {
        for (ProviderKind kind : ProviderKind.values()) {
            calls.clear();
            // Given a plan with a forged copy and a stale replay of each webhook
            List<Delivery> plan = plan(kind, Misbehaviour.none(1).withWebhooks(0, 0, 0, 0, 100, 100));

            // When it is dispatched
            dispatcher().dispatch(plan).join();

            // Then the receiving side's verdicts are exactly the planned signings, on the provider's path
            assertThat(calls).hasSize(plan.size());
            for (int index = 0; index < plan.size(); index++) {
                WebhookVerdict expected = switch (plan.get(index).signing()) {
                    case VALID -> WebhookVerdict.VALID;
                    case FORGED -> WebhookVerdict.FORGED;
                    case STALE -> WebhookVerdict.STALE;
                };
                assertThat(verdict(kind, calls.get(index))).as(kind + " call " + index).isEqualTo(expected);
                assertThat(calls.get(index).path()).isEqualTo(Dialect.of(kind).webhookPath());
            }
        }
    }

    @Test
    void shouldCarryTheFieldsTheIngestServiceReadsWhenEachProviderSends() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<ProviderKind, List<String>> fields = Map.of(
                ProviderKind.MOBILE_MONEY_HUB, List.of("eventId", "transactionId", "hubReference", "status", "amount",
                        "currency", "fee", "occurredAt"),
                ProviderKind.PAGOEFECTIVO, List.of("eventId", "eventType", "cip", "transactionCode", "amount", "currency",
                        "fee", "eventDate"),
                ProviderKind.CARD_NETWORK, List.of("id", "transactionId", "authorizationCode", "type", "amount",
                        "timestamp"));
        for (ProviderKind kind : ProviderKind.values()) {
            calls.clear();
            dispatcher().dispatch(plan(kind, Misbehaviour.none(1))).join();

            Map<String, Object> last = json.readValue(calls.get(calls.size() - 1).body(),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
            assertThat(last.keySet()).as(kind.id()).containsExactlyInAnyOrderElementsOf(fields.get(kind));
        }
        // PagoEfectivo writes Lima local time without offset; the card network amount is an object
        calls.clear();
        dispatcher().dispatch(plan(ProviderKind.PAGOEFECTIVO, Misbehaviour.none(1))).join();
        Map<?, ?> cip = json.readValue(calls.get(1).body(), Map.class);
        assertThat((String) cip.get("eventDate")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}");
        assertThat(cip.get("eventType")).isEqualTo("cip.paid");
        assertThat(cip.get("amount")).isEqualTo("50.00");
        // The fee of a success is named on its webhook, as the settlement report names it on a fee row
        assertThat((String) cip.get("fee")).matches("\\d+\\.\\d{2}");
        calls.clear();
        dispatcher().dispatch(plan(ProviderKind.CARD_NETWORK, Misbehaviour.none(1))).join();
        assertThat(json.readValue(calls.get(1).body(), Map.class).get("amount"))
                .isEqualTo(Map.of("value", "50.00", "currency", "USD"));
    }

    @Test
    void shouldPostOverHttpAndGetRefusedForForgeriesWhenAnIngestLikeReceiverVerifies() throws Exception {
        // Given a receiver on the loopback that answers as ingest-service does: 200 when valid, 401 otherwise
        com.sun.net.httpserver.HttpServer receiver = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        List<String> paths = new CopyOnWriteArrayList<>();
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            paths.add(exchange.getRequestURI().getPath());
            WebhookVerdict verdict = Dialect.of(ProviderKind.MOBILE_MONEY_HUB).scheme().verify(
                    name -> exchange.getRequestHeaders().getFirst(name), body,
                    List.of(SECRET.getBytes(StandardCharsets.UTF_8)), Instant.now(), TOLERANCE);
            exchange.sendResponseHeaders(verdict == WebhookVerdict.VALID ? 200 : 401, -1);
            exchange.close();
        });
        receiver.start();
        try {
            WebhookDispatcher dispatcher = new WebhookDispatcher(new HttpWebhookTransport("http://127.0.0.1:"
                    + receiver.getAddress().getPort()), Map.of(ProviderKind.MOBILE_MONEY_HUB, SECRET),
                    Duration.ofHours(2), Clock.systemUTC(), sent::add);

            // When a payment's webhooks with a forgery and a stale replay each are sent
            dispatcher.dispatch(plan(ProviderKind.MOBILE_MONEY_HUB, Misbehaviour.none(1).withWebhooks(0, 0, 0, 0, 100, 100)))
                    .join();

            // Then the genuine calls were taken and every forged or stale one refused
            assertThat(sent).extracting(done -> done.delivery().signing(), WebhookDispatcher.Sent::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(Delivery.Signing.FORGED, 401),
                    org.assertj.core.groups.Tuple.tuple(Delivery.Signing.VALID, 200),
                    org.assertj.core.groups.Tuple.tuple(Delivery.Signing.STALE, 401),
                    org.assertj.core.groups.Tuple.tuple(Delivery.Signing.FORGED, 401),
                    org.assertj.core.groups.Tuple.tuple(Delivery.Signing.VALID, 200),
                    org.assertj.core.groups.Tuple.tuple(Delivery.Signing.STALE, 401));
            assertThat(paths).containsOnly("/webhooks/mobile-money");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void shouldSendAGenuineCallAgainWhenTheIngestServiceAnswers503() {
        answers.addAll(List.of(503, 503));

        dispatcher().dispatch(plan(ProviderKind.MOBILE_MONEY_HUB, Misbehaviour.none(1))).join();

        // Two refusals of the first call, then both calls taken
        assertThat(calls).hasSize(4);
        assertThat(sent).extracting(WebhookDispatcher.Sent::status).containsExactly(200, 200);
    }

    @Test
    void shouldSendForgedCallsOnlyOnceWhenRefused() {
        answers.addAll(List.of(401));

        List<Delivery> forgedOnly = plan(ProviderKind.CARD_NETWORK, Misbehaviour.none(1).withWebhooks(0, 0, 0, 0, 100, 0))
                .subList(0, 1);
        dispatcher().dispatch(forgedOnly).join();

        assertThat(calls).hasSize(1);
        assertThat(sent).extracting(WebhookDispatcher.Sent::status).containsExactly(401);
    }

    @Test
    void shouldSendADelayedWebhookAfterTheOthersOfItsPaymentWhenDelayed() {
        // Given a plan where the pending webhook is held back 200 ms and the final one comes right after
        SimulatedProvider provider = new SimulatedProvider(ProviderKind.MOBILE_MONEY_HUB,
                Misbehaviour.none(1).withWebhooks(0, 0, 100, 0, 0, 0).withWebhookDelay(Duration.ofMillis(200)), 100,
                Duration.ZERO, Clock.systemUTC(), injection -> { });
        List<Delivery> plan = provider.submit("txn-d", new Money(100L, "KES"), null).deliveries();
        long started = System.nanoTime();

        dispatcher().dispatch(plan).join();

        // Then nothing went before the delay had passed (a lower bound the delay guarantees), and the order held
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(sent).extracting(done -> done.delivery().webhook().eventId())
                .containsExactly("mobile-money-hub-evt-txn-d-1", "mobile-money-hub-evt-txn-d-2");
    }
}
