package dev.ngao.platform.auth;

import java.util.Optional;

/**
 * One IPv4 or IPv6 network in CIDR notation ({@code 203.0.113.0/24}, {@code 2001:db8::/32}); a bare
 * address is a network of one. An IPv4 block never contains an IPv6 address and the reverse, except for
 * IPv4-mapped IPv6 addresses, which {@link IpAddresses} turns into IPv4 first.
 */
public final class CidrBlock {

    private final byte[] network;
    private final int prefixLength;

    private CidrBlock(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * @throws IllegalArgumentException when {@code text} is not an address literal with an optional
     *                                  prefix length within the address family's size
     */
    public static CidrBlock parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int slash = trimmed.indexOf('/');
        String addressText = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] address = IpAddresses.parse(addressText)
                .orElseThrow(() -> new IllegalArgumentException("not an IP network in CIDR notation: " + text));
        int maximum = address.length * 8;
        int prefixLength = maximum;
        if (slash >= 0) {
            String lengthText = trimmed.substring(slash + 1);
            if (!lengthText.matches("[0-9]{1,3}") || Integer.parseInt(lengthText) > maximum) {
                throw new IllegalArgumentException("prefix length must be 0 to " + maximum + ": " + text);
            }
            prefixLength = Integer.parseInt(lengthText);
        }
        return new CidrBlock(masked(address, prefixLength), prefixLength);
    }

    /** Whether the address literal {@code address} lies in this network; false for anything unparseable. */
    public boolean contains(String address) {
        Optional<byte[]> bytes = IpAddresses.parse(address);
        return bytes.isPresent() && contains(bytes.get());
    }

    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        byte[] maskedAddress = masked(address, prefixLength);
        for (int index = 0; index < network.length; index++) {
            if (maskedAddress[index] != network[index]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] masked(byte[] address, int prefixLength) {
        byte[] result = address.clone();
        for (int bit = prefixLength; bit < result.length * 8; bit++) {
            result[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CidrBlock block && block.prefixLength == prefixLength
                && java.util.Arrays.equals(block.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefixLength;
    }

    /** Canonical CIDR text: the masked network and the prefix length. */
    @Override
    public String toString() {
        return IpAddresses.format(network) + "/" + prefixLength;
    }
}
