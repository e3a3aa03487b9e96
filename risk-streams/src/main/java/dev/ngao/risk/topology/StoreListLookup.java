package dev.ngao.risk.topology;

import dev.ngao.events.ListDimension;
import dev.ngao.events.ListEntryChange;
import dev.ngao.events.ListKind;
import dev.ngao.rules.ListLookup;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link ListLookup} over the global lists store, which holds each entry twice: under {@code e|topicKey}
 * (to find what a tombstone removes) and under {@code i|merchant|LIST|DIMENSION|value} (to look up), the
 * value being the clear value for IP, CIDR and COUNTRY and the keyed hash otherwise. An IP also matches the
 * merchant's CIDR entries that contain it (a prefix scan of that merchant's ranges).
 */
public final class StoreListLookup implements ListLookup {

    private static final StringSerializer KEYS = new StringSerializer();

    private final ReadOnlyKeyValueStore<String, ListEntryChange> store;

    public StoreListLookup(ReadOnlyKeyValueStore<String, ListEntryChange> store) {
        this.store = store;
    }

    static String entryKey(String topicKey) {
        return "e|" + topicKey;
    }

    static String indexKey(ListEntryChange entry) {
        return indexKey(entry.getMerchantId(), entry.getList(), entry.getDimension(), matchValue(entry));
    }

    static String indexKey(String merchantId, ListKind kind, ListDimension dimension, String value) {
        return "i|" + merchantId + '|' + kind + '|' + dimension + '|' + value;
    }

    private static String matchValue(ListEntryChange entry) {
        boolean clear = entry.getDimension() == ListDimension.IP || entry.getDimension() == ListDimension.CIDR
                || entry.getDimension() == ListDimension.COUNTRY;
        return clear && entry.getValue() != null ? entry.getValue() : entry.getValueHash();
    }

    @Override
    public Optional<ListMatch> match(String merchantId, ListKind kind, ListDimension dimension, String value,
                                     Instant at) {
        if (value == null) {
            return Optional.empty();
        }
        ListEntryChange exact = store.get(indexKey(merchantId, kind, dimension, value));
        if (live(exact, at)) {
            return Optional.of(matchOf(exact));
        }
        if (dimension == ListDimension.IP) {
            return cidrContaining(merchantId, kind, value, at);
        }
        return Optional.empty();
    }

    private Optional<ListMatch> cidrContaining(String merchantId, ListKind kind, String ip, Instant at) {
        try (KeyValueIterator<String, ListEntryChange> ranges = store.prefixScan(
                indexKey(merchantId, kind, ListDimension.CIDR, ""), KEYS)) {
            while (ranges.hasNext()) {
                ListEntryChange range = ranges.next().value;
                if (live(range, at) && range.getValue() != null && contains(range.getValue(), ip)) {
                    return Optional.of(matchOf(range));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean live(ListEntryChange entry, Instant at) {
        return entry != null && (entry.getExpiresAt() == null || entry.getExpiresAt().isAfter(at));
    }

    private static ListMatch matchOf(ListEntryChange entry) {
        return new ListMatch(entry.getEntryId(), entry.getDimension(), entry.getReason());
    }

    /** Whether {@code cidr} (a.b.c.d/n or an IPv6 range) contains {@code ip}; false for anything malformed. */
    static boolean contains(String cidr, String ip) {
        int slash = cidr.indexOf('/');
        if (slash < 0 || !literal(ip) || !literal(cidr.substring(0, slash))) {
            return false;
        }
        try {
            byte[] network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            byte[] address = InetAddress.getByName(ip).getAddress();
            int prefixBits = Integer.parseInt(cidr.substring(slash + 1));
            if (network.length != address.length || prefixBits < 0 || prefixBits > network.length * 8) {
                return false;
            }
            int shift = network.length * 8 - prefixBits;
            return new BigInteger(1, network).shiftRight(shift).equals(new BigInteger(1, address).shiftRight(shift));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    /** Only address literals: InetAddress must never resolve a host name from a stream thread. */
    private static boolean literal(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
    }
}
