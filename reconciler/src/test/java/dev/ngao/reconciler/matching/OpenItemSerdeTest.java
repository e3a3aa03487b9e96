package dev.ngao.reconciler.matching;

import dev.ngao.events.Outcome;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenItemSerdeTest {

    private final OpenItemSerde serde = new OpenItemSerde();

    @Test
    void shouldReadBackWhatItWroteForEveryShapeOfItem() {
        SeenDecision decision = new SeenDecision(Outcome.REVIEW, 1_250L, "KES", 1_000L, 2_000L);
        SeenPostings postings = new SeenPostings(new TreeMap<>(Map.of("KES", 1_250L, "UGX", 7L)),
                new TreeSet<>(List.of("je:tx-1:approved", "je:tx-1:other")), 1_500L, 2_500L);

        for (OpenItem item : List.of(OpenItem.NOTHING, OpenItem.NOTHING.withDecision(decision),
                OpenItem.NOTHING.withPostings(postings), new OpenItem(decision, postings))) {
            byte[] bytes = serde.serializer().serialize("open-items", item);
            assertThat(serde.deserializer().deserialize("open-items", bytes)).isEqualTo(item);
        }
    }

    @Test
    void shouldPassNullThroughForTombstones() {
        assertThat(serde.serializer().serialize("open-items", null)).isNull();
        assertThat(serde.deserializer().deserialize("open-items", null)).isNull();
    }

    @Test
    void shouldRefuseAnUnknownFormatVersion() {
        byte[] bytes = serde.serializer().serialize("open-items", OpenItem.NOTHING);
        bytes[0] = 99;

        assertThatThrownBy(() -> serde.deserializer().deserialize("open-items", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("99");
    }

    @Test
    void shouldRefuseATruncatedOrCorruptValue() {
        SeenPostings postings = new SeenPostings(new TreeMap<>(Map.of("KES", 1_250L)),
                new TreeSet<>(List.of("je:tx-1:approved")), 1_500L, 2_500L);
        byte[] bytes = serde.serializer().serialize("open-items", OpenItem.NOTHING.withPostings(postings));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        // The currency count right after the two flags: a huge count must not allocate or loop.
        byte[] corrupt = bytes.clone();
        corrupt[3] = 0x7f;

        assertThatThrownBy(() -> serde.deserializer().deserialize("open-items", truncated))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> serde.deserializer().deserialize("open-items", corrupt))
                .isInstanceOf(SerializationException.class);
    }
}
