package dev.ngao.platform.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The address a request comes from, as the allowlists judge it. That is the TCP peer, unless the peer
 * is one of the configured trusted proxies: then {@code X-Forwarded-For} is read from the right (the
 * entry the nearest proxy appended) past every further trusted proxy, and the first address that is not
 * one is the client. From any other peer the header is ignored, since anyone can send it.
 */
public final class ClientAddressResolver {

    public static final String FORWARDED_FOR_HEADER = "X-Forwarded-For";
    /** More forwarded entries than this are not read: a longer chain is no real proxy path. */
    private static final int MAXIMUM_FORWARDED_ENTRIES = 32;

    private final List<CidrBlock> trustedProxies;

    public ClientAddressResolver(List<CidrBlock> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * @param peerAddress        the TCP peer's address literal
     * @param forwardedForValues every {@code X-Forwarded-For} header value of the request, in order
     * @return the client's address in canonical text, or empty when the peer itself is unreadable
     */
    public Optional<String> resolve(String peerAddress, List<String> forwardedForValues) {
        Optional<byte[]> peer = IpAddresses.parse(peerAddress);
        if (peer.isEmpty()) {
            return Optional.empty();
        }
        byte[] client = peer.get();
        if (isTrustedProxy(client)) {
            List<String> entries = forwardedEntries(forwardedForValues);
            for (int index = entries.size() - 1; index >= 0; index--) {
                Optional<byte[]> hop = IpAddresses.parse(entries.get(index));
                if (hop.isEmpty()) {
                    break; // a garbled entry ends the chain we can believe; the last good hop stands
                }
                client = hop.get();
                if (!isTrustedProxy(client)) {
                    break;
                }
            }
        }
        return Optional.of(IpAddresses.format(client));
    }

    private boolean isTrustedProxy(byte[] address) {
        return trustedProxies.stream().anyMatch(block -> block.contains(address));
    }

    private static List<String> forwardedEntries(List<String> values) {
        List<String> entries = new ArrayList<>();
        for (String value : values) {
            for (String entry : value.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.trim());
                }
            }
        }
        int from = Math.max(0, entries.size() - MAXIMUM_FORWARDED_ENTRIES);
        return entries.subList(from, entries.size());
    }
}
