package dev.ngao.platform.auth;

import io.netty.util.NetUtil;

import java.util.Arrays;
import java.util.Optional;

/**
 * IP address literals to bytes, without ever resolving a name ({@code InetAddress.getByName} would look
 * up a host name in DNS, which has no place in a request path). IPv4-mapped IPv6 addresses
 * ({@code ::ffff:192.0.2.1}) become their IPv4 address, so a dual-stack listener and an IPv4 allowlist
 * agree; an IPv6 zone ({@code %eth0}) is dropped.
 */
public final class IpAddresses {

    private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private IpAddresses() {
    }

    /** The 4 or 16 bytes of an IPv4 or IPv6 literal, or empty when {@code text} is not one. */
    public static Optional<byte[]> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String literal = text.trim();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (literal.isEmpty() || literal.length() > 45) {
            return Optional.empty();
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        return bytes == null ? Optional.empty() : Optional.of(normalized(bytes));
    }

    /** Text form of 4 or 16 address bytes (IPv6 compressed, as RFC 5952 recommends). */
    public static String format(byte[] address) {
        return NetUtil.bytesToIpAddress(address);
    }

    private static byte[] normalized(byte[] address) {
        if (address.length == 16 && Arrays.equals(address, 0, 12, IPV4_MAPPED_PREFIX, 0, 12)) {
            return Arrays.copyOfRange(address, 12, 16);
        }
        return address;
    }
}
