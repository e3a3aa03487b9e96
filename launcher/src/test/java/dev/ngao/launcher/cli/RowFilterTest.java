package dev.ngao.launcher.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RowFilterTest {

    @Test
    void shouldMatchATransactionByValueSubjectOrKeyWhenFilteredByTransaction() {
        // Given rows naming the transaction in their value, as an audit subject, only in their key, or not at all
        TopicRow inValue = row("any", value().put("transactionId", "txn-1"));
        TopicRow asSubject = row("any", value().put("subjectId", "txn-1"));
        TopicRow inKeyOnly = row("txn-1", value().put("provider", "hub"));
        TopicRow otherInValue = row("txn-1", value().put("transactionId", "txn-2"));
        TopicRow refund = row("acc", value().put("transactionId", "txn-9").put("originalTransactionId", "txn-1"));

        // When filtered by the transaction
        RowFilter filter = RowFilter.forTransaction("txn-1");

        // Then the value wins over the key, and a refund of it is part of its story
        assertThat(filter.test(inValue)).isTrue();
        assertThat(filter.test(asSubject)).isTrue();
        assertThat(filter.test(inKeyOnly)).isTrue();
        assertThat(filter.test(otherInValue)).isFalse();
        assertThat(filter.test(refund)).isTrue();
    }

    @Test
    void shouldMatchMerchantAndOutcomeWhenBothAreAsked() {
        // Given decisions and a provider event of two merchants
        TopicRow declinedA = row("k", value().put("merchantId", "a").put("outcome", "DECLINE"));
        TopicRow approvedA = row("k", value().put("merchantId", "a").put("outcome", "APPROVE"));
        TopicRow declinedB = row("k", value().put("merchantId", "b").put("outcome", "DECLINE"));
        TopicRow failedEvent = row("k", value().put("status", "FAILED"));

        // When filtered by merchant a and outcome decline (any case), and by a provider status
        RowFilter filter = new RowFilter(null, "a", "decline");

        // Then only a's declines match, and an outcome filter also reads a provider event's status
        assertThat(filter.test(declinedA)).isTrue();
        assertThat(filter.test(approvedA)).isFalse();
        assertThat(filter.test(declinedB)).isFalse();
        assertThat(new RowFilter(null, null, "failed").test(failedEvent)).isTrue();
        assertThat(RowFilter.ALL.test(failedEvent)).isTrue();
    }

    private static ObjectNode value() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static TopicRow row(String key, ObjectNode value) {
        return new TopicRow("topic", 0, 0, Instant.EPOCH, key, value);
    }
}
