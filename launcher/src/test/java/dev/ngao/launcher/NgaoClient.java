package dev.ngao.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ngao.platform.auth.RequestSigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What the end-to-end tests ask of a running embedded Ngao over its public HTTP APIs. */
final class NgaoClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private NgaoClient() {
    }

    static String body(String type, String amount, String msisdn) {
        return "{\"type\":\"" + type + "\",\"amount\":\"" + amount + "\",\"currency\":\"KES\",\"msisdn\":\""
                + msisdn + "\",\"operator\":\"MPESA\",\"country\":\"KE\",\"merchantReference\":\"it-" + amount + "\"}";
    }

    static String post(EmbeddedNgao ngao, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(signed(ngao, "POST", ngao.ingestBaseUrl() + "/v1/payments", body)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String transactionId = JSON.readTree(response.body()).path("transactionId").asText();
        assertThat(transactionId).isNotBlank();
        return transactionId;
    }

    static JsonNode status(EmbeddedNgao ngao, String transactionId) throws Exception {
        HttpResponse<String> response = HTTP.send(signed(ngao, "GET", ngao.ingestBaseUrl() + "/v1/payments/"
                + transactionId, "").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static List<JsonNode> entries(EmbeddedNgao ngao, String transactionId) throws Exception {
        HttpResponse<String> response = HTTP.send(operator(ngao, ngao.ledgerBaseUrl()
                + "/v1/entries/" + transactionId).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return List.of();
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        JsonNode array = body.isArray() ? body : body.path("entries");
        List<JsonNode> entries = new ArrayList<>();
        array.forEach(entries::add);
        return entries;
    }

    static JsonNode lifecycle(EmbeddedNgao ngao, String transactionId) throws Exception {
        HttpResponse<String> response = HTTP.send(operator(ngao, ngao.ledgerBaseUrl()
                + "/v1/lifecycles/" + transactionId).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The notifier's delivery log entries of one transaction. */
    static JsonNode notifications(EmbeddedNgao ngao, String transactionId) throws Exception {
        HttpResponse<String> response = HTTP.send(operator(ngao, ngao.notifierBaseUrl()
                + "/v1/deliveries?transaction=" + transactionId).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("deliveries");
    }

    static long balance(EmbeddedNgao ngao, String account) throws Exception {
        HttpResponse<String> response = HTTP.send(operator(ngao, ngao.ledgerBaseUrl()
                + "/v1/balances/" + account).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("balanceMinor").asLong();
    }

    static void assertBalanced(JsonNode entry) {
        long debits = 0;
        long credits = 0;
        for (JsonNode posting : entry.path("postings")) {
            long amount = posting.path("amountMinor").asLong();
            assertThat(amount).isPositive();
            if ("DEBIT".equals(posting.path("side").asText())) {
                debits += amount;
            } else {
                credits += amount;
            }
        }
        assertThat(debits).isPositive().isEqualTo(credits);
    }

    /** Signed with the demo key, as a merchant's back end signs (RequestSigner, a fresh nonce each time). */
    private static HttpRequest.Builder signed(EmbeddedNgao ngao, String method, String url, String body) {
        URI uri = URI.create(url);
        return new RequestSigner(ngao.demoKeyId(), ngao.demoKeySecret()).sign(method, uri, body)
                .applyTo(HttpRequest.newBuilder(uri));
    }

    /** Signed with the demo operator key, which reads every merchant's ledger and deliveries. */
    static HttpRequest.Builder operator(EmbeddedNgao ngao, String url) {
        URI uri = URI.create(url);
        return new RequestSigner(ngao.demoOperatorKeyId(), ngao.demoOperatorSecret()).sign("GET", uri, "")
                .applyTo(HttpRequest.newBuilder(uri));
    }

    /** A call of the demo operator key to ingest's emergency stops; {@code body} empty sends none. */
    static HttpResponse<String> emergencyStops(EmbeddedNgao ngao, String method, String pathAndQuery, String body)
            throws Exception {
        URI uri = URI.create(ngao.ingestBaseUrl() + pathAndQuery);
        HttpRequest.Builder request = new RequestSigner(ngao.demoOperatorKeyId(), ngao.demoOperatorSecret())
                .sign(method, uri, body).applyTo(HttpRequest.newBuilder(uri))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (!body.isEmpty()) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The ids of the emergency stops in force, as ingest lists them to the demo operator key. */
    static List<String> stopsInForce(EmbeddedNgao ngao) throws Exception {
        HttpResponse<String> response = emergencyStops(ngao, "GET", "/v1/emergency-stops", "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("stops").findValuesAsText("stopId");
    }

    /** The ledger's trial balance: whether every currency sums to zero. */
    static boolean trialBalanced(EmbeddedNgao ngao) throws Exception {
        HttpResponse<String> response = HTTP.send(operator(ngao, ngao.ledgerBaseUrl()
                + "/v1/trial-balance").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("balanced").asBoolean();
    }

    /** The kinds of a transaction's ledger entries, in posting order. */
    static List<String> entryKinds(EmbeddedNgao ngao, String transactionId) throws Exception {
        return entries(ngao, transactionId).stream().map(entry -> entry.path("kind").asText()).toList();
    }

}
