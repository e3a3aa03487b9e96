package dev.ngao.ingest.list;

import dev.ngao.events.ListDimension;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.ListKind;
import dev.ngao.ingest.MerchantApiHarness;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static dev.ngao.ingest.MerchantApiHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RouteHarness.class)
class ListRoutesTest {

    private static final Set<String> LISTS = Set.of(Scopes.LISTS_WRITE);

    private MerchantApiHarness api;

    @BeforeEach
    void start(MerchantApiHarness api) {
        this.api = api;
    }

    @Test
    void shouldAddEntryWithHashedValueAndRemoveItWithTombstoneOnTheSameKey() {
        // When an email is blocked
        HttpResponse<String> added = api.callAcknowledged(api.lists, "POST", "/v1/lists/block/entries", LISTS, JSON,
                "{\"dimension\": \"EMAIL\", \"value\": \"Fraud@Example.com\", \"reason\": \"chargebacks\","
                        + " \"expiresAt\": \"" + Instant.now().plus(Duration.ofDays(30)) + "\"}");

        // Then the entry is keyed by merchant, list, dimension and the email's keyed hash, never the email
        assertThat(added.statusCode()).isEqualTo(201);
        ProducerRecord<String, ListEntryChange> record = api.lists.history().get(0);
        String valueHash = api.pii.hash("email", "fraud@example.com");
        assertThat(record.key()).isEqualTo("merchant-a|BLOCK|EMAIL|" + valueHash);
        assertThat(record.value().getList()).isEqualTo(ListKind.BLOCK);
        assertThat(record.value().getDimension()).isEqualTo(ListDimension.EMAIL);
        assertThat(record.value().getValue()).isNull();
        assertThat(record.value().getValueMasked()).isEqualTo("f****@example.com");
        assertThat(record.value().getExpiresAt()).isAfter(Instant.now());
        assertThat(record.toString()).doesNotContain("fraud@", "Fraud@");
        JsonObject body = new JsonObject(added.body());
        String entryId = body.getString("entryId");
        assertThat(added.body()).doesNotContain("fraud@", "Fraud@");
        assertThat(added.headers().firstValue("Location")).hasValue("/v1/lists/block/entries/" + entryId);

        // When the entry is removed
        HttpResponse<String> removed = api.callAcknowledged(api.lists, "DELETE", "/v1/lists/block/entries/" + entryId,
                LISTS, null, null);

        // Then a tombstone is written on the same key
        assertThat(removed.statusCode()).isEqualTo(202);
        assertThat(api.lists.history().get(1).key()).isEqualTo(record.key());
        assertThat(api.lists.history().get(1).value()).isNull();
    }

    @Test
    void shouldKeepIpRangeInClearOnTheAllowList() {
        HttpResponse<String> added = api.callAcknowledged(api.lists, "POST", "/v1/lists/allow/entries", LISTS, JSON,
                "{\"dimension\": \"CIDR\", \"value\": \"203.0.113.9/24\", \"reason\": \"office\"}");

        assertThat(added.statusCode()).isEqualTo(201);
        ListEntryChange entry = api.lists.history().get(0).value();
        assertThat(entry.getList()).isEqualTo(ListKind.ALLOW);
        assertThat(entry.getValue()).isEqualTo("203.0.113.0/24");
        assertThat(api.lists.history().get(0).key()).startsWith("merchant-a|ALLOW|CIDR|cidr:");
    }

    @Test
    void shouldRemoveOnlyWithinTheCallersMerchant() {
        String entryId = "email_0123456789abcdef0123456789abcdef";

        api.callAcknowledged(api.lists, "DELETE", "/v1/lists/block/entries/" + entryId, LISTS, null, null);

        assertThat(api.lists.history().get(0).key())
                .isEqualTo("merchant-a|BLOCK|EMAIL|email:0123456789abcdef0123456789abcdef");
    }

    @Test
    void shouldAnswer404WhenListOrEntryIdIsUnknown() {
        assertThat(api.call("POST", "/v1/lists/grey/entries", LISTS, JSON,
                "{\"dimension\": \"COUNTRY\", \"value\": \"KP\", \"reason\": \"x\"}").statusCode()).isEqualTo(404);
        assertThat(api.call("DELETE", "/v1/lists/grey/entries/email_0123456789abcdef0123456789abcdef", LISTS, null, null)
                .statusCode()).isEqualTo(404);
        assertThat(api.call("DELETE", "/v1/lists/block/entries/not-an-entry", LISTS, null, null).statusCode())
                .isEqualTo(404);
        assertThat(api.lists.history()).isEmpty();
    }

    @Test
    void shouldAnswer422WithoutEchoWhenValueDoesNotFitItsDimension() {
        HttpResponse<String> response = api.call("POST", "/v1/lists/block/entries", LISTS, JSON,
                "{\"dimension\": \"PHONE\", \"value\": \"0712345678\", \"reason\": \"x\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).doesNotContain("0712345678");
        assertThat(api.lists.history()).isEmpty();
    }

    @Test
    void shouldRequireIdempotencyKeyAndReplayTheFirstEntryWithoutSecondEvent() {
        // When an entry is posted without a key, then with one, then retried with the same key
        HttpResponse<String> first = api.assertIdempotent(api.lists, "POST", "/v1/lists/block/entries", LISTS, JSON,
                "{\"dimension\": \"EMAIL\", \"value\": \"fraud@example.com\", \"reason\": \"chargebacks\"}");

        // Then one entry exists, and the recorded answer (kept in clear) shows the email only masked
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.body()).doesNotContain("fraud@example.com");
    }
}
