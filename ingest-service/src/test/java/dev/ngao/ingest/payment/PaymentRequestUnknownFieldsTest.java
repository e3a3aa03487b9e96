package dev.ngao.ingest.payment;

import dev.ngao.ingest.http.FieldError;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A field the API does not know is refused and named, never silently dropped. */
class PaymentRequestUnknownFieldsTest {

    private final PaymentRequestValidator validator = new PaymentRequestValidator();

    @Test
    void shouldAcceptBodyWhenEveryFieldIsKnown() {
        assertThat(validator.validate(validBody())).isInstanceOf(PaymentRequestValidator.Valid.class);
    }

    @Test
    void shouldRefuseAndNameUnknownFieldWhenBodyHasOne() {
        Map<String, Object> body = validBody();
        body.put("callbackUrl", "https://example.com");

        PaymentRequestValidator.Result result = validator.validate(body);

        assertThat(result).isInstanceOf(PaymentRequestValidator.Invalid.class);
        assertThat(((PaymentRequestValidator.Invalid) result).errors())
                .extracting(FieldError::field).containsExactly("callbackUrl");
    }

    @Test
    void shouldNotEchoFieldNameWhenItIsNotAPlainIdentifierOrLooksLikePii() {
        Map<String, Object> body = validBody();
        body.put("+254712345678", "1");
        body.put("a\u0000b", "1");

        PaymentRequestValidator.Invalid invalid = (PaymentRequestValidator.Invalid) validator.validate(body);

        assertThat(invalid.errors()).extracting(FieldError::field)
                .containsExactly(PaymentRequestValidator.UNPRINTABLE_FIELD);
        assertThat(invalid.errors().toString()).doesNotContain("712345678");
    }

    @Test
    void shouldReportBoundedNumberOfUnknownFieldsWhenThereAreThousands() {
        Map<String, Object> body = validBody();
        for (int index = 0; index < 5_000; index++) {
            body.put("field" + index, index);
        }

        PaymentRequestValidator.Invalid invalid = (PaymentRequestValidator.Invalid) validator.validate(body);

        assertThat(invalid.errors()).hasSize(PaymentRequestValidator.MAXIMUM_UNKNOWN_FIELDS_REPORTED);
    }

    private static Map<String, Object> validBody() {
        Map<String, Object> body = new HashMap<>();
        body.put(PaymentRequestValidator.TYPE, "MOBILE_MONEY_COLLECTION");
        body.put(PaymentRequestValidator.AMOUNT, "1500.50");
        body.put(PaymentRequestValidator.CURRENCY, "KES");
        body.put(PaymentRequestValidator.MSISDN, "+254712345678");
        body.put(PaymentRequestValidator.OPERATOR, "MPESA");
        body.put(PaymentRequestValidator.COUNTRY, "KE");
        body.put(PaymentRequestValidator.MERCHANT_REFERENCE, "order-42");
        return body;
    }
}
