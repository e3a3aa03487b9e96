package dev.ngao.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.ProviderCallPurpose;
import dev.ngao.events.SubmissionIntent;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class AvroJsonTest {

    private static final Instant AT = Instant.parse("2026-12-02T01:02:03.456Z");

    @Test
    void shouldShowFieldsAsPlainJsonWhenARecordIsDecoded() {
        // Given a payment request with nested records, an enum, a timestamp and null unions
        PaymentRequest request = AnalystRecords.request("txn-1", "merchant-a", 150_050, AT);

        // When it is turned into JSON
        JsonNode json = AvroJson.toJson(request);

        // Then unions are unwrapped, the timestamp is UTC text, the enum its name, money in minor units
        assertThat(json.path("transactionId").asText()).isEqualTo("txn-1");
        assertThat(json.path("type").asText()).isEqualTo("MOBILE_MONEY_COLLECTION");
        assertThat(json.path("requestedAt").asText()).isEqualTo("2026-12-02T01:02:03.456Z");
        assertThat(json.path("amount").path("amountMinor").asLong()).isEqualTo(150_050L);
        assertThat(json.path("amount").path("currency").asText()).isEqualTo("KES");
        assertThat(json.path("cip").isNull()).isTrue();
        assertThat(json.path("mobileMoney").path("operator").asText()).isEqualTo("MPESA");
    }

    @Test
    void shouldLeaveOutPersonalDataWhenTheContractMarksAFieldPii() {
        // Given a request carrying the wallet's MSISDN in clear (ingest needs it to instruct the provider)
        PaymentRequest request = AnalystRecords.request("txn-1", "merchant-a", 100, AT);

        // When it is turned into JSON
        JsonNode json = AvroJson.toJson(request);

        // Then the clear number is nowhere, the masked form is there
        assertThat(json.toString()).doesNotContain(AnalystRecords.MSISDN);
        assertThat(json.path("mobileMoney").has("msisdn")).isFalse();
        assertThat(json.path("mobileMoney").path("msisdnMasked").asText()).isEqualTo("+2547******78");
    }

    @Test
    void shouldLeaveOutTheMsisdnOfTheRequestAReconcilerIntentCarries() {
        // Given an intent of the reconciler's outbox, which carries the request the provider is instructed with
        SubmissionIntent intent = SubmissionIntent.newBuilder().setTransactionId("txn-1").setProvider("mobile-money-hub")
                .setPurpose(ProviderCallPurpose.SUBMIT).setAttempt(1)
                .setRequest(AnalystRecords.request("txn-1", "merchant-a", 100, AT)).setIntendedAt(AT).build();

        // When it is turned into JSON
        JsonNode json = AvroJson.toJson(intent);

        // Then the request shows, without the clear number
        assertThat(json.toString()).doesNotContain(AnalystRecords.MSISDN);
        assertThat(json.path("request").path("mobileMoney").path("msisdnMasked").asText()).isEqualTo("+2547******78");
        assertThat(json.path("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void shouldShowTextAndBytesWhenAValueIsNotARecord() {
        // Given values of the topics that carry no Avro record (schema store, dead letters) and a tombstone
        // When and Then they show as text, base64 and null
        assertThat(AvroJson.toJson("schema text").asText()).isEqualTo("schema text");
        assertThat(AvroJson.toJson(new byte[] {1, 2, 3}).asText()).isEqualTo("AQID");
        assertThat(AvroJson.toJson(null).isNull()).isTrue();
    }
}
