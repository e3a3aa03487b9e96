package dev.ngao.ingest.card;

import dev.ngao.events.CardEvent;
import dev.ngao.events.CardEventType;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.SpendingInterval;
import dev.ngao.ingest.MerchantApiHarness;
import dev.ngao.ingest.RouteHarness;
import dev.ngao.platform.auth.Scopes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import static dev.ngao.ingest.MerchantApiHarness.CARD_ID;
import static dev.ngao.ingest.MerchantApiHarness.JSON;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RouteHarness.class)
class CardRoutesTest {

    private static final Set<String> ISSUE = Set.of(Scopes.CARDS_ISSUE);
    private static final Set<String> MANAGE = Set.of(Scopes.CARDS_MANAGE);
    private static final String ISSUE_BODY = """
            {"cardholderReference": "holder-ana-7", "kycStatus": "VERIFIED", "currency": "PEN",
             "spendingControls": {"spendingLimits": [{"interval": "DAILY", "amountMinor": 100000}],
                                  "blockedCategories": ["7995"]}}""";

    private MerchantApiHarness api;

    @BeforeEach
    void start(MerchantApiHarness api) {
        this.api = api;
    }

    @Test
    void shouldIssueCardKeyedByItsIdWithHashedCardholderWhenKycIsVerified() {
        // When a card is issued for a verified cardholder
        HttpResponse<String> response = api.callAcknowledged(api.cards, "POST", "/v1/cards", ISSUE, JSON, ISSUE_BODY);

        // Then it is created, active, with its controls, and usable at once
        assertThat(response.statusCode()).isEqualTo(201);
        JsonObject card = new JsonObject(response.body());
        String cardId = card.getString("cardId");
        assertThat(cardId).matches("card_[0-9a-f]{32}");
        assertThat(card.getString("status")).isEqualTo("ACTIVE");
        assertThat(card.getString("currency")).isEqualTo("PEN");
        assertThat(card.getJsonObject("spendingControls").getJsonArray("blockedCategories")).containsExactly("7995");
        assertThat(response.headers().firstValue("Location")).hasValue("/v1/cards/" + cardId);
        assertThat(response.body()).doesNotContain("holder-ana-7");
        // And the event is keyed by the card id and carries only the cardholder's keyed hash
        CardEvent event = api.cards.history().get(0).value();
        assertThat(api.cards.history().get(0).key()).isEqualTo(cardId);
        assertThat(event.getType()).isEqualTo(CardEventType.ISSUED);
        assertThat(event.getCardholderHash()).isEqualTo(api.pii.hash("cardholder", "merchant-a/holder-ana-7"));
        assertThat(event.toString()).doesNotContain("holder-ana-7");
        assertThat(event.getControls().getLimits().get(0).getInterval()).isEqualTo(SpendingInterval.DAILY);
        assertThat(api.call("GET", "/v1/cards/" + cardId, MANAGE, null, null).statusCode()).isEqualTo(200);
        // And it carries the cardholder's KYC status and expires at the end of its issue month 36 months on
        assertThat(event.getKycStatus()).isEqualTo("VERIFIED");
        YearMonth issueMonth = YearMonth.from(event.getOccurredAt().atOffset(ZoneOffset.UTC));
        assertThat(event.getExpiresAt()).isEqualTo(issueMonth.plusMonths(MerchantApiHarness.CARD_VALIDITY_MONTHS)
                .atEndOfMonth().atTime(LocalTime.MAX).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
        assertThat(card.getString("expiresAt")).isEqualTo(event.getExpiresAt().toString());
    }

    @Test
    void shouldAnswer422KycIncompleteAndWriteNothingWhenKycIsNotVerified() {
        for (String status : new String[]{"NOT_STARTED", "PENDING", "REJECTED"}) {
            HttpResponse<String> response = api.call("POST", "/v1/cards", ISSUE, JSON,
                    ISSUE_BODY.replace("VERIFIED", status));

            assertThat(response.statusCode()).as(status).isEqualTo(422);
            JsonObject problem = new JsonObject(response.body());
            assertThat(problem.getString("type")).endsWith("/kyc-incomplete");
            assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("kycStatus");
        }
        assertThat(api.cards.history()).isEmpty();
    }

    @Test
    void shouldWriteLoadAsCardLoadPaymentRequestKeyedByCard() {
        api.seedCard(CARD_ID, MerchantApiHarness.MERCHANT, "PEN");

        HttpResponse<String> response = api.callAcknowledged(api.payments, "POST", "/v1/cards/" + CARD_ID + "/loads",
                MANAGE, JSON, "{\"amount\": \"200.00\", \"currency\": \"PEN\", \"merchantReference\": \"topup-1\"}");

        assertThat(response.statusCode()).isEqualTo(202);
        PaymentRequest load = api.payments.history().get(0).value();
        assertThat(api.payments.history().get(0).key()).isEqualTo(CARD_ID);
        assertThat(load.getType()).isEqualTo(PaymentType.CARD_LOAD);
        assertThat(load.getAmount().getAmountMinor()).isEqualTo(20_000L);
        assertThat(load.getCard().getCardId()).isEqualTo(CARD_ID);
        assertThat(new JsonObject(response.body()).getString("transactionId")).isEqualTo(load.getTransactionId());
    }

    @Test
    void shouldAnswer422WhenLoadIsInAnotherCurrencyThanTheCards() {
        api.seedCard(CARD_ID, MerchantApiHarness.MERCHANT, "PEN");

        HttpResponse<String> response = api.call("POST", "/v1/cards/" + CARD_ID + "/loads", MANAGE, JSON,
                "{\"amount\": \"200.00\", \"currency\": \"USD\", \"merchantReference\": \"topup-1\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("currency");
        assertThat(api.payments.history()).isEmpty();
    }

    @Test
    void shouldFreezeAndUnfreezeWithOrWithoutBody() {
        api.seedCard(CARD_ID, MerchantApiHarness.MERCHANT, "PEN");

        HttpResponse<String> frozen = api.callAcknowledged(api.cards, "POST", "/v1/cards/" + CARD_ID + "/freeze",
                MANAGE, JSON, "{\"reason\": \"phone stolen\"}");
        assertThat(frozen.statusCode()).isEqualTo(202);
        assertThat(new JsonObject(frozen.body()).getString("status")).isEqualTo("FROZEN");
        assertThat(api.cards.history().get(0).value().getType()).isEqualTo(CardEventType.FROZEN);
        assertThat(api.cards.history().get(0).value().getReason()).isEqualTo("phone stolen");
        assertThat(api.api.cardDirectory().find(CARD_ID, MerchantApiHarness.MERCHANT).orElseThrow().frozen()).isTrue();

        HttpResponse<String> active = api.callAcknowledged(api.cards, "POST", "/v1/cards/" + CARD_ID + "/unfreeze",
                MANAGE, null, null);
        assertThat(active.statusCode()).isEqualTo(202);
        assertThat(new JsonObject(active.body()).getString("status")).isEqualTo("ACTIVE");
        assertThat(api.cards.history().get(1).value().getType()).isEqualTo(CardEventType.UNFROZEN);
    }

    @Test
    void shouldAnswer415WhenFreezeBodyIsNotJson() {
        api.seedCard(CARD_ID, MerchantApiHarness.MERCHANT, "PEN");

        HttpResponse<String> response = api.call("POST", "/v1/cards/" + CARD_ID + "/freeze", MANAGE, "text/plain",
                "lost");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(api.cards.history()).isEmpty();
    }

    @Test
    void shouldSetSpendingControlsAndRefuseInvalidOnes() {
        api.seedCard(CARD_ID, MerchantApiHarness.MERCHANT, "PEN");

        HttpResponse<String> invalid = api.call("PUT", "/v1/cards/" + CARD_ID + "/spending-controls", MANAGE, JSON,
                "{\"allowedCountries\": [\"PE\"], \"blockedCountries\": [\"KP\"]}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(api.cards.history()).isEmpty();

        HttpResponse<String> set = api.callAcknowledged(api.cards, "PUT", "/v1/cards/" + CARD_ID + "/spending-controls",
                MANAGE, JSON, "{\"spendingLimits\": [{\"interval\": \"PER_AUTHORIZATION\", \"amountMinor\": 5000}],"
                        + " \"allowedCountries\": [\"PE\"]}");
        assertThat(set.statusCode()).isEqualTo(202);
        CardEvent event = api.cards.history().get(0).value();
        assertThat(event.getType()).isEqualTo(CardEventType.CONTROLS_SET);
        assertThat(event.getControls().getAllowedCountries()).containsExactly("PE");
        assertThat(new JsonObject(set.body()).getJsonObject("spendingControls").getJsonArray("spendingLimits")
                .getJsonObject(0).getLong("amountMinor")).isEqualTo(5_000L);
    }

    @Test
    void shouldAnswer404WhenCardIsUnknownAnotherMerchantsOrMalformed() {
        api.seedCard(CARD_ID, MerchantApiHarness.OTHER_MERCHANT, "PEN");

        for (String path : new String[]{"/v1/cards/" + CARD_ID, "/v1/cards/card_nope"}) {
            assertThat(api.call("GET", path, MANAGE, null, null).statusCode()).as(path).isEqualTo(404);
            assertThat(api.call("POST", path + "/freeze", MANAGE, null, null).statusCode()).as(path).isEqualTo(404);
            assertThat(api.call("POST", path + "/loads", MANAGE, JSON,
                    "{\"amount\": \"1.00\", \"currency\": \"PEN\", \"merchantReference\": \"x\"}").statusCode())
                    .as(path).isEqualTo(404);
            assertThat(api.call("PUT", path + "/spending-controls", MANAGE, JSON, "{}").statusCode())
                    .as(path).isEqualTo(404);
        }
        assertThat(api.cards.history()).isEmpty();
        assertThat(api.payments.history()).isEmpty();
    }

    @Test
    void shouldRequireIdempotencyKeyAndReplayIssueLoadAndFreezeWithoutSecondEvent() {
        // Issue: one card for one key, however often it is retried
        HttpResponse<String> issued = api.assertIdempotent(api.cards, "POST", "/v1/cards", ISSUE, JSON, ISSUE_BODY);
        assertThat(issued.statusCode()).isEqualTo(201);
        assertThat(issued.body()).doesNotContain("holder-ana-7");

        // Load: one load payment request for one key
        api.seedCard(CARD_ID, MerchantApiHarness.MERCHANT, "PEN");
        HttpResponse<String> loaded = api.assertIdempotent(api.payments, "POST", "/v1/cards/" + CARD_ID + "/loads",
                MANAGE, JSON, "{\"amount\": \"200.00\", \"currency\": \"PEN\", \"merchantReference\": \"topup-2\"}");
        assertThat(loaded.statusCode()).isEqualTo(202);

        // Freeze and unfreeze (one mount): one card event for one key, with or without a body
        assertThat(api.assertIdempotent(api.cards, "POST", "/v1/cards/" + CARD_ID + "/freeze", MANAGE, null, null)
                .statusCode()).isEqualTo(202);
        assertThat(api.assertIdempotent(api.cards, "POST", "/v1/cards/" + CARD_ID + "/unfreeze", MANAGE, JSON,
                "{\"reason\": \"found it\"}").statusCode()).isEqualTo(202);
    }
}
