package dev.ngao.platform.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CIDR blocks and the client address resolution behind the allowlists. */
class NetworkAddressTest {

    @Test
    void shouldMatchIpv4AddressesInsideTheirBlockOnly() {
        CidrBlock block = CidrBlock.parse("203.0.113.0/24");

        assertThat(block.contains("203.0.113.0")).isTrue();
        assertThat(block.contains("203.0.113.255")).isTrue();
        assertThat(block.contains("203.0.114.1")).isFalse();
        assertThat(block.contains("::ffff:203.0.113.9")).as("IPv4-mapped IPv6").isTrue();
        assertThat(block.contains("2001:db8::1")).isFalse();
        assertThat(CidrBlock.parse("198.51.100.7").contains("198.51.100.7")).isTrue();
        assertThat(CidrBlock.parse("198.51.100.7").contains("198.51.100.8")).isFalse();
        assertThat(CidrBlock.parse("0.0.0.0/0").contains("192.0.2.1")).isTrue();
    }

    @Test
    void shouldMatchIpv6AddressesInsideTheirBlockOnly() {
        CidrBlock block = CidrBlock.parse("2001:db8:abcd::/48");

        assertThat(block.contains("2001:db8:abcd:12::1")).isTrue();
        assertThat(block.contains("2001:DB8:ABCD:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(block.contains("2001:db8:abce::1")).isFalse();
        assertThat(block.contains("203.0.113.9")).isFalse();
        assertThat(CidrBlock.parse("2001:db8::/33").contains("2001:db8:7fff::1")).isTrue();
        assertThat(CidrBlock.parse("2001:db8::/33").contains("2001:db8:8000::1")).isFalse();
        assertThat(CidrBlock.parse("::/0").contains("fe80::1%eth0")).isTrue();
    }

    @Test
    void shouldPrintCanonicalNetworkAndRefuseNonsenseWithoutResolvingNames() {
        assertThat(CidrBlock.parse("203.0.113.77/24")).hasToString("203.0.113.0/24");
        assertThat(CidrBlock.parse("2001:0db8:0000::1/32")).hasToString("2001:db8::/32");

        assertThatThrownBy(() -> CidrBlock.parse("example.com/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CidrBlock.parse("2001:db8::/129")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/-1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(CidrBlock.parse("10.0.0.0/8").contains("localhost")).isFalse();
    }

    @Test
    void shouldUseTcpPeerAndIgnoreForwardedForWhenPeerIsNotTrusted() {
        ClientAddressResolver resolver = new ClientAddressResolver(List.of(CidrBlock.parse("10.0.0.0/8")));

        assertThat(resolver.resolve("198.51.100.20", List.of("203.0.113.7"))).hasValue("198.51.100.20");
    }

    @Test
    void shouldTakeNearestUntrustedHopWhenPeerIsTrustedProxy() {
        ClientAddressResolver resolver = new ClientAddressResolver(List.of(CidrBlock.parse("10.0.0.0/8"),
                CidrBlock.parse("fd00::/8")));

        // The client claims 1.2.3.4; the edge proxy saw 203.0.113.7 and an inner proxy 10.1.1.1
        assertThat(resolver.resolve("10.0.0.5", List.of("1.2.3.4, 203.0.113.7", "10.1.1.1"))).hasValue("203.0.113.7");
        assertThat(resolver.resolve("fd00::5", List.of("2001:db8::7"))).hasValue("2001:db8::7");
        // Only trusted hops: the leftmost one stands
        assertThat(resolver.resolve("10.0.0.5", List.of("10.2.2.2"))).hasValue("10.2.2.2");
        // No header: the proxy itself
        assertThat(resolver.resolve("10.0.0.5", List.of())).hasValue("10.0.0.5");
        // A garbled hop ends what can be believed
        assertThat(resolver.resolve("10.0.0.5", List.of("203.0.113.7, not-an-address"))).hasValue("10.0.0.5");
    }
}
