package dev.ngao.schemas;

import dev.ngao.events.AccountKind;
import dev.ngao.events.DecisionReason;
import dev.ngao.events.Money;
import dev.ngao.events.Outcome;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskDecision;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

import java.time.Instant;
import java.util.List;

/** Generated events and small evolving schemas shared by the tests of this module. */
public final class SampleEvents {

    private SampleEvents() {
    }

    /** A decision with every field set, including the optional score and a nested reason. */
    public static RiskDecision riskDecision() {
        Instant requestedAt = Instant.parse("2025-03-01T10:15:30.123Z");
        return RiskDecision.newBuilder()
                .setTransactionId("tx-1001")
                .setType(PaymentType.MOBILE_MONEY_COLLECTION)
                .setMerchantId("m-42")
                .setAccountKind(AccountKind.WALLET)
                .setAccountId("wallet-hmac-3f9a51")
                .setAmount(Money.newBuilder().setAmountMinor(125_000L).setCurrency("KES").build())
                .setProvider("mobile-money-hub")
                .setOutcome(Outcome.REVIEW)
                .setReasons(List.of(DecisionReason.newBuilder()
                        .setRuleId("velocity-wallet-1h")
                        .setRuleSetVersion("7")
                        .setOutcome(Outcome.REVIEW)
                        .setMessage("5 collections within one hour")
                        .build()))
                .setScore(70)
                .setRequestedAt(requestedAt)
                .setDecidedAt(requestedAt.plusMillis(12))
                .build();
    }

    /** Version 1 of a throwaway record: one required field. {@code name} keeps tests apart. */
    public static Schema probeVersion1(String name) {
        return SchemaBuilder.record(name).namespace("dev.ngao.test").fields()
                .requiredString("probeId")
                .endRecord();
    }

    /** A BACKWARD compatible version 2: the new field has a default, so version 1 data stays readable. */
    public static Schema probeCompatibleVersion2(String name) {
        return SchemaBuilder.record(name).namespace("dev.ngao.test").fields()
                .requiredString("probeId")
                .name("note").type().stringType().stringDefault("")
                .endRecord();
    }

    /** An incompatible version 2: a new field without default cannot be filled from version 1 data. */
    public static Schema probeIncompatibleVersion2(String name) {
        return SchemaBuilder.record(name).namespace("dev.ngao.test").fields()
                .requiredString("probeId")
                .requiredString("note")
                .endRecord();
    }
}
