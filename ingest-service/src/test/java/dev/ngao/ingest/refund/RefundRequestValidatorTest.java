package dev.ngao.ingest.refund;

import dev.ngao.ingest.http.TestBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static dev.ngao.ingest.http.TestBodies.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RefundRequestValidatorTest {

    static final Map<String, Object> VALID = TestBodies.parse("""
            {"originalTransactionId": "txn_0123456789abcdef0123456789abcdef", "amount": "500.00",
             "currency": "KES", "reason": "REQUESTED_BY_CUSTOMER"}""");

    private final RefundRequestValidator validator = new RefundRequestValidator();

    @Test
    void shouldAcceptRefundWhenValid() {
        RefundRequest refund = TestBodies.valid(validator.validate(VALID));

        assertThat(refund.originalTransactionId()).isEqualTo("txn_0123456789abcdef0123456789abcdef");
        assertThat(refund.amountMinor()).isEqualTo(50_000L);
        assertThat(refund.currency()).isEqualTo("KES");
        assertThat(refund.reason()).isEqualTo(RefundReason.REQUESTED_BY_CUSTOMER);
        assertThat(refund.merchantReference()).isNull();
    }

    @Test
    void shouldKeepMerchantReferenceWhenGiven() {
        assertThat(TestBodies.valid(validator.validate(with(VALID, "merchantReference", "refund-9"))).merchantReference())
                .isEqualTo("refund-9");
    }

    static Stream<Arguments> invalidRefunds() {
        return Stream.of(
                arguments("unknown field", with(VALID, "note", "customer asked"), "note"),
                arguments("original missing", with(VALID, "originalTransactionId", null), "originalTransactionId"),
                arguments("original malformed", with(VALID, "originalTransactionId", "order-42"), "originalTransactionId"),
                arguments("amount missing", with(VALID, "amount", null), "amount"),
                arguments("amount as JSON number", with(VALID, "amount", 500), "amount"),
                arguments("amount too precise", with(VALID, "amount", "500.001"), "amount"),
                arguments("amount zero", with(VALID, "amount", "0"), "amount"),
                arguments("currency missing", with(VALID, "currency", null), "currency"),
                arguments("currency lower case", with(VALID, "currency", "kes"), "currency"),
                arguments("reason missing", with(VALID, "reason", null), "reason"),
                arguments("reason as free text", with(VALID, "reason", "the customer changed their mind"), "reason"),
                arguments("merchant reference malformed", with(VALID, "merchantReference", "refund #9"),
                        "merchantReference"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRefunds")
    void shouldRefuseFieldWhenInvalid(String description, Map<String, Object> body, String field) {
        assertThat(TestBodies.refusedFields(validator.validate(body))).containsExactly(field);
    }
}
