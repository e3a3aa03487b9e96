package dev.ngao.ingest.pii;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP addresses and CIDR ranges in canonical text, parsed without any name lookup: only text made of the
 * characters of address literals ever reaches {@link InetAddress#getByName}, which then parses it as a literal.
 */
public final class NetworkAddresses {

    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private NetworkAddresses() {
    }

    /** The canonical text of an IPv4 or IPv6 address literal, or empty. */
    public static Optional<String> canonicalAddress(String text) {
        return address(text).map(InetAddress::getHostAddress);
    }

    /** {@code address/prefix} with the host bits cleared, in canonical text, or empty. */
    public static Optional<String> canonicalRange(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            return Optional.empty();
        }
        Optional<InetAddress> address = address(text.substring(0, slash));
        String prefixText = text.substring(slash + 1);
        if (address.isEmpty() || !prefixText.matches("[0-9]{1,3}")) {
            return Optional.empty();
        }
        byte[] bytes = address.get().getAddress();
        int bits = bytes.length * 8;
        int prefix = Integer.parseInt(prefixText);
        if (prefix > bits) {
            return Optional.empty();
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
        byte[] network = toBytes(new BigInteger(1, bytes).and(mask), bytes.length);
        try {
            return Optional.of(InetAddress.getByAddress(network).getHostAddress() + "/" + prefix);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<InetAddress> address(String text) {
        try {
            if (IPV4.matcher(text).matches()) {
                return Optional.of(InetAddress.getByName(text));
            }
            if (text.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(text).matches()) {
                InetAddress address = InetAddress.getByName(text);
                // An IPv4-mapped IPv6 literal comes back as IPv4: one address, one canonical form.
                return Optional.of(address);
            }
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static byte[] toBytes(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
        return bytes;
    }
}
