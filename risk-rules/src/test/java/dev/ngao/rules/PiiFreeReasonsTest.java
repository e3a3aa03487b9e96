package dev.ngao.rules;

import dev.ngao.events.CipDetails;
import dev.ngao.events.ListDimension;
import dev.ngao.events.ListKind;
import dev.ngao.events.PaymentRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** No reason of any rule names a personal value, even when every rule of the catalogue matches. */
class PiiFreeReasonsTest {

    private static final String SECRET = "SECRET";

    @Test
    void shouldNeverNameAPersonalValueInAReasonWhenEveryRuleOfTheExampleRuleSetMatches() throws Exception {
        // Given a Lima night CIP payment whose every personal value is marked, and a state that trips every rule
        CompiledRuleSet ruleSet = new RuleSetCompiler().compile(
                RuleSetFiles.read(RuleSetExamplesTest.directory().resolve("default.yaml")));
        Instant at = Instant.parse("2026-11-19T04:00:00Z");
        PaymentRequest request = Requests.cip(600_000).setAccountId("customer-" + SECRET).setRequestedAt(at).setCountry("IR")
                .setCip(CipDetails.newBuilder().setDocumentType("DNI").setDocumentHash("dni-" + SECRET)
                        .setDocumentMasked("****5678").setExpiresAt(at.plusSeconds(86_400)).setPhoneHash("phone-" + SECRET)
                        .setEmailHash("email-" + SECRET).build())
                .setSignals(Requests.signals().setClientIp("198.51.100.77").setIpCountry("KP").setDeviceHash("device-" + SECRET)
                        .build())
                .build();
        InMemoryStateView state = new InMemoryStateView();
        Map<Dimension, String> values = Dimension.valuesOf(request);
        values.forEach((dimension, value) -> {
            for (int i = 0; i < 30; i++) {
                state.attempt(dimension, value, at.minusSeconds(30 + i), 1_000_000, "PEN");
                for (Dimension counted : values.keySet()) {
                    state.seen(dimension, value, counted, counted + "-other-" + SECRET + i, at.minus(Duration.ofHours(1)));
                }
            }
        });
        for (int back = 1; back <= 30; back++) {
            state.approved("customer-" + SECRET, "PEN", LocalDate.parse("2026-11-19").minusDays(back), 1_000);
        }
        for (ListDimension dimension : List.of(ListDimension.EMAIL, ListDimension.PHONE, ListDimension.DEVICE, ListDimension.DNI)) {
            String value = switch (dimension) {
                case EMAIL -> "email-" + SECRET;
                case PHONE -> "phone-" + SECRET;
                case DEVICE -> "device-" + SECRET;
                default -> "dni-" + SECRET;
            };
            state.listEntry("merchant-1", ListKind.BLOCK, dimension, value, "entry-" + dimension, "reported fraud", null);
        }

        // When
        List<RuleHit> hits = new ArrayList<>();
        values.forEach((dimension, value) -> hits.addAll(ruleSet.evaluate(dimension, new RuleInput(request, value, state))));

        // Then
        Set<String> matched = new TreeSet<>();
        hits.forEach(hit -> matched.add(ruleSet.rules().stream().filter(rule -> rule.id().equals(hit.ruleId()))
                .findFirst().orElseThrow().type()));
        assertThat(matched).contains("limit", "velocity-count", "velocity-sum", "distinct-count", "list", "high-risk-country",
                "geo-mismatch", "off-hours", "amount-anomaly", "new-device-large-amount");
        assertThat(hits).allSatisfy(hit -> assertThat(hit.message()).doesNotContain(SECRET).doesNotContain("198.51.100.77"));
    }
}
