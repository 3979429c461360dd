package io.tracestream.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A CIDR range, IPv4 ({@code 10.0.0.0/8}) or IPv6 ({@code fd00::/8}); an address without a
 * prefix length is that one address. Only literals: a host name is refused, so that matching
 * never waits on DNS and never depends on what DNS says.
 */
public record NetworkRange(byte[] network, int prefixLength) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public NetworkRange {
        network = masked(network.clone(), prefixLength);
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code cidr} */
    public static NetworkRange parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(address).map(InetAddress::getAddress)
                .orElseThrow(() -> new IllegalArgumentException("\"" + cidr + "\" is not an IPv4 or IPv6 address or CIDR range"));
        int length = bytes.length * 8;
        if (slash >= 0) {
            try {
                length = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0 || length > bytes.length * 8) {
                throw new IllegalArgumentException("\"" + cidr + "\": the prefix length must be 0 to " + bytes.length * 8);
            }
        }
        return new NetworkRange(bytes, length);
    }

    /** The address a literal names (IPv4-mapped IPv6 as IPv4, a zone id dropped); empty for anything else. */
    public static Optional<InetAddress> literal(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String address = text.trim();
        int zone = address.indexOf('%');
        if (zone >= 0) {
            address = address.substring(0, zone);
        }
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        boolean v4 = IPV4.matcher(address).matches();
        if (v4 && java.util.Arrays.stream(address.split("\\.")).anyMatch(octet -> Integer.parseInt(octet) > 255)) {
            return Optional.empty(); // else the JDK would look it up as a host name
        }
        if (!v4 && !IPV6.matcher(address).matches()) {
            return Optional.empty();
        }
        try {
            // A literal: no DNS lookup is made. IPv4-mapped IPv6 comes back as an Inet4Address.
            return Optional.of(InetAddress.getByName(address));
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        return java.util.Arrays.equals(masked(candidate, prefixLength), network);
    }

    private static byte[] masked(byte[] address, int prefixLength) {
        for (int i = 0; i < address.length; i++) {
            int bits = Math.max(0, Math.min(8, prefixLength - i * 8));
            address[i] &= (byte) (0xFF << (8 - bits));
        }
        return address;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkRange r && prefixLength == r.prefixLength && java.util.Arrays.equals(network, r.network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            return "?/" + prefixLength;
        }
    }
}
