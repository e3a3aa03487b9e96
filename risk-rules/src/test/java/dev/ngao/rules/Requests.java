package dev.ngao.rules;

import dev.ngao.events.AccountKind;
import dev.ngao.events.CardDetails;
import dev.ngao.events.CipDetails;
import dev.ngao.events.Money;
import dev.ngao.events.PaymentRequest;
import dev.ngao.events.PaymentType;
import dev.ngao.events.RiskSignals;
import dev.ngao.events.RuleAction;
import dev.ngao.events.RuleMode;
import dev.ngao.events.RuleSetPublished;

import dev.ngao.schemas.SampleEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Builders of the requests and rule sets the rule tests feed. */
final class Requests {

    static final Instant NOON = Instant.parse("2026-11-18T12:00:00Z");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Requests() {
    }

    /** A mobile-money collection of {@code amountMinor} of {@code currency} from wallet {@code wallet-1}. */
    static PaymentRequest.Builder wallet(long amountMinor, String currency) {
        return SampleEvents.paymentRequest("tx-" + SEQUENCE.incrementAndGet())
                .setMerchantReference("order-1")
                .setAccountId("wallet-1")
                .setAmount(new Money(amountMinor, currency))
                .setRequestedAt(NOON);
    }

    /** A card authorization on {@code card-1}. */
    static PaymentRequest.Builder card(long amountMinor, String currency) {
        return wallet(amountMinor, currency)
                .setType(PaymentType.CARD_AUTHORIZATION)
                .setAccountKind(AccountKind.CARD)
                .setAccountId("card-1")
                .setProvider("card-network")
                .setCard(new CardDetails("card-1", "5411", "KE"));
    }

    /** A PagoEfectivo CIP payment by a customer with a DNI. */
    static PaymentRequest.Builder cip(long amountMinor) {
        return wallet(amountMinor, "PEN")
                .setType(PaymentType.CIP_PAYMENT)
                .setAccountKind(AccountKind.CUSTOMER)
                .setAccountId("customer-1")
                .setProvider("pagoefectivo")
                .setCountry("PE")
                .setCip(CipDetails.newBuilder().setDocumentType("DNI").setDocumentHash("dni-hash-1")
                        .setDocumentMasked("****5678").setExpiresAt(NOON.plusSeconds(86_400))
                        .setPhoneHash("phone-hash-1").build());
    }

    static RiskSignals.Builder signals() {
        return RiskSignals.newBuilder();
    }

    static RuleInput input(PaymentRequest request, StateView state) {
        return new RuleInput(request, Dimension.ACCOUNT.valueOf(request).orElseThrow(), state);
    }

    static RuleInput input(PaymentRequest request, Dimension dimension, StateView state) {
        return new RuleInput(request, dimension.valueOf(request).orElseThrow(), state);
    }

    /** A rule set of merchant-1, version v1, made of the rules given. */
    static RuleSetPublished ruleSet(dev.ngao.events.Rule... rules) {
        return RuleSetPublished.newBuilder().setMerchantId("merchant-1").setVersion("v1")
                .setRules(new ArrayList<>(List.of(rules))).setApiKeyId("key-1").setPublishedAt(NOON).build();
    }

    static dev.ngao.events.Rule rule(String id, String type, String parametersJson) {
        return rule(id, type, parametersJson, RuleAction.BLOCK, RuleMode.ENFORCE);
    }

    static dev.ngao.events.Rule rule(String id, String type, String parametersJson, RuleAction action, RuleMode mode) {
        return new dev.ngao.events.Rule(id, type, parametersJson, action, mode);
    }

    /** One rule compiled alone; fails the test when the compiler refuses it. */
    static Rule compileOne(String type, String parametersJson) {
        return compileOne(type, parametersJson, RuleAction.BLOCK, RuleMode.ENFORCE);
    }

    static Rule compileOne(String type, String parametersJson, RuleAction action, RuleMode mode) {
        try {
            return new RuleSetCompiler().compile(ruleSet(rule("r1", type, parametersJson, action, mode))).rules().get(0);
        } catch (InvalidRuleSetException e) {
            throw new AssertionError(e.problems().toString(), e);
        }
    }

    /** The problems the compiler names for a rule set of the rules given. */
    static List<String> problems(dev.ngao.events.Rule... rules) {
        try {
            new RuleSetCompiler().compile(ruleSet(rules));
        } catch (InvalidRuleSetException e) {
            return e.problems();
        }
        throw new AssertionError("the rule set was expected to be refused");
    }
}
