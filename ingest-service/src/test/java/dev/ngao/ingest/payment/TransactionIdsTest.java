package dev.ngao.ingest.payment;

import dev.ngao.platform.pii.PiiProtector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionIdsTest {

    private final TransactionIds ids = new TransactionIds(
            new PiiProtector("test-pepper-0123456789".getBytes(StandardCharsets.UTF_8)));

    @Test
    void shouldNameTheSameTransactionWhenTheSameMerchantSendsTheSameKeyAgain() {
        assertThat(ids.of("merchant-a", "order-42")).isEqualTo(ids.of("merchant-a", "order-42"));
    }

    @Test
    void shouldNameAnotherTransactionWhenTheMerchantOrTheKeyDiffers() {
        assertThat(ids.of("merchant-a", "order-42")).isNotEqualTo(ids.of("merchant-b", "order-42"))
                .isNotEqualTo(ids.of("merchant-a", "order-43"));
        // The separator cannot be forged by moving characters between merchant id and key
        assertThat(ids.of("merchant-a", "b|c")).isNotEqualTo(ids.of("merchant-a|b", "c"));
    }

    @Test
    void shouldKeepTheFormatOfTransactionIdsWhenDeriving() {
        assertThat(ids.of("merchant-a", "order-42")).matches("txn_[0-9a-f]{32}");
    }

    @Test
    void shouldDependOnTheDeploymentsPepperSoIdsCannotBeComputedFromKeysAlone() {
        TransactionIds elsewhere = new TransactionIds(
                new PiiProtector("another-pepper-0123456789".getBytes(StandardCharsets.UTF_8)));

        assertThat(elsewhere.of("merchant-a", "order-42")).isNotEqualTo(ids.of("merchant-a", "order-42"));
    }
}
