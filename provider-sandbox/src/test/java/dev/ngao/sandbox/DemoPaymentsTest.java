package dev.ngao.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class DemoPaymentsTest {

    private static final BigDecimal PER_TRANSACTION_LIMIT_KES = new BigDecimal("150000.00");

    @Test
    void shouldMixOrdinaryAndOverLimitPaymentsOfValidShape() throws Exception {
        DemoPayments payments = new DemoPayments(new SplittableRandom(42));
        ObjectMapper json = new ObjectMapper();
        int overLimit = 0;
        Set<String> references = new HashSet<>();

        for (int i = 0; i < 2_000; i++) {
            JsonNode body = json.readTree(payments.next());
            BigDecimal amount = new BigDecimal(body.path("amount").asText());
            assertThat(amount.scale()).isEqualTo(2);
            assertThat(amount.signum()).isPositive();
            assertThat(body.path("msisdn").asText()).matches("\\+\\d{8,15}");
            assertThat(body.path("currency").asText()).isEqualTo("KES");
            assertThat(references.add(body.path("merchantReference").asText())).isTrue();
            if (amount.compareTo(PER_TRANSACTION_LIMIT_KES) > 0) {
                overLimit++;
            }
        }

        // About 8 % above the per-transaction limit: enough declines to see, most payments approved.
        assertThat(overLimit).isBetween(100, 240);
    }
}
