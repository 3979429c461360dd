package io.tracestream.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetworkRangeTest {

    static boolean contains(String cidr, String address) {
        return NetworkRange.parse(cidr).contains(NetworkRange.literal(address).orElseThrow());
    }

    @Test
    void ipv4RangesMatchTheirAddressesOnly() {
        assertTrue(contains("127.0.0.0/8", "127.0.0.1"));
        assertTrue(contains("127.0.0.0/8", "127.255.255.254"));
        assertFalse(contains("127.0.0.0/8", "128.0.0.1"));
        assertTrue(contains("10.1.2.0/23", "10.1.3.200"));
        assertFalse(contains("10.1.2.0/23", "10.1.4.1"));
        assertTrue(contains("0.0.0.0/0", "8.8.8.8"));
        assertTrue(contains("192.168.1.7", "192.168.1.7"), "an address alone is a /32");
        assertFalse(contains("192.168.1.7", "192.168.1.8"));
    }

    @Test
    void ipv6RangesMatchTheirAddressesOnly() {
        assertTrue(contains("::1", "::1"));
        assertTrue(contains("::1", "0:0:0:0:0:0:0:1"), "the long form is the same address");
        assertFalse(contains("::1", "::2"));
        assertTrue(contains("fd00::/8", "fd12:3456::1"));
        assertFalse(contains("fd00::/8", "fe80::1"));
        assertTrue(contains("fe80::/10", "fe80::1%eth0"), "a zone id is dropped");
        assertTrue(contains("2001:db8::/32", "[2001:db8::5]"));
    }

    @Test
    void familiesNeverMatchEachOtherButIpv4MappedIpv6IsIpv4() {
        assertFalse(contains("::1", "127.0.0.1"));
        assertFalse(contains("127.0.0.0/8", "::1"));
        assertTrue(contains("127.0.0.0/8", "::ffff:127.0.0.1"));
    }

    @Test
    void hostNamesAndMalformedRangesAreRefusedWithoutAskingDns() {
        assertEquals(Optional.empty(), NetworkRange.literal("localhost"));
        assertEquals(Optional.empty(), NetworkRange.literal("1.2.3.999"));
        assertEquals(Optional.empty(), NetworkRange.literal(null));
        assertThrows(IllegalArgumentException.class, () -> NetworkRange.parse("localhost/8"));
        assertThrows(IllegalArgumentException.class, () -> NetworkRange.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> NetworkRange.parse("::/129"));
        assertThrows(IllegalArgumentException.class, () -> NetworkRange.parse("10.0.0.0/x"));
    }

    @Test
    void theNetworkIsMaskedSoHostBitsInTheConfigurationDoNotMatter() throws Exception {
        assertEquals(NetworkRange.parse("10.1.2.0/16"), NetworkRange.parse("10.1.0.0/16"));
        assertTrue(NetworkRange.parse("10.1.2.3/16").contains(InetAddress.getByName("10.1.200.1")));
    }
}
