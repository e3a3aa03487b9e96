package dev.ngao.ingest.list;

import dev.ngao.events.ListDimension;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.ListKind;
import dev.ngao.platform.pii.PiiProtector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ListEntriesTest {

    private final PiiProtector pii = new PiiProtector("unit-test-pepper-0123".getBytes(StandardCharsets.UTF_8));
    private final ListEntries entries = new ListEntries(pii,
            Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void shouldCarryPersonalValuesOnlyHashedAndMasked() {
        ListEntryChange entry = entries.added("merchant-a", ListKind.BLOCK,
                new ListEntryRequest(ListDimension.PHONE, "+254712345678", "chargebacks", null), "key-a");

        // The phone hashes as a wallet's MSISDN does, so the entry matches that wallet's account id
        assertThat(entry.getValueHash()).isEqualTo(pii.hash("msisdn", "+254712345678"));
        assertThat(entry.getValue()).isNull();
        assertThat(entry.getValueMasked()).isEqualTo("+2547******78");
        assertThat(entry.toString()).doesNotContain("712345678");
        assertThat(entry.getEntryId()).isEqualTo("phone_" + entry.getValueHash().substring("msisdn:".length()));
    }

    @Test
    void shouldCarryIpCidrAndCountryInClear() {
        ListEntryChange entry = entries.added("merchant-a", ListKind.BLOCK,
                new ListEntryRequest(ListDimension.CIDR, "203.0.113.0/24", "botnet", null), "key-a");

        assertThat(entry.getValue()).isEqualTo("203.0.113.0/24");
        assertThat(entry.getValueMasked()).isNull();
        assertThat(entry.getValueHash()).isEqualTo(pii.hash("cidr", "203.0.113.0/24"));
    }

    @Test
    void shouldRebuildTheRecordKeyFromEntryIdWithinTheCallersMerchantOnly() {
        // Given an entry of merchant a
        ListEntryChange entry = entries.added("merchant-a", ListKind.BLOCK,
                new ListEntryRequest(ListDimension.EMAIL, "fraud@example.com", "chargebacks", null), "key-a");
        String key = ListEntries.key("merchant-a", ListKind.BLOCK, ListDimension.EMAIL, entry.getValueHash());

        // When its id is turned back into a key
        // Then merchant a gets that key, and merchant b a key of its own that cannot touch a's entry
        assertThat(ListEntries.keyOf(entry.getEntryId(), "merchant-a", ListKind.BLOCK)).hasValue(key);
        assertThat(ListEntries.keyOf(entry.getEntryId(), "merchant-b", ListKind.BLOCK)).get().isNotEqualTo(key);
        assertThat(ListEntries.keyOf(entry.getEntryId(), "merchant-a", ListKind.ALLOW)).get().isNotEqualTo(key);
    }

    @Test
    void shouldRefuseEntryIdsThatAreNotEntryIds() {
        assertThat(ListEntries.keyOf("email_xyz", "merchant-a", ListKind.BLOCK)).isEmpty();
        assertThat(ListEntries.keyOf("name_0123456789abcdef0123456789abcdef", "merchant-a", ListKind.BLOCK)).isEmpty();
        assertThat(ListEntries.keyOf("unknown_0123456789abcdef0123456789abcdef", "merchant-a", ListKind.BLOCK)).isEmpty();
    }
}
