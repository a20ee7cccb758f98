package io.rollcall.events;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A CIDR block, IPv4 ({@code 127.0.0.0/8}) or IPv6 ({@code fd00::/8}), as {@code rollcall.events.allowed-networks} lists them. */
record NetworkRange(byte[] network, int prefix, String text) {

    static NetworkRange parse(String cidr) {
        String trimmed = cidr.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!address.matches("[0-9a-fA-F:.]+")) {
            // only literals: InetAddress would otherwise look a name up in DNS
            throw new IllegalArgumentException("rollcall.events.allowed-networks: '" + cidr + "' is not an IP network in CIDR form (e.g. 10.0.0.0/8)");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("rollcall.events.allowed-networks: '" + cidr + "' is not an IP network in CIDR form (e.g. 10.0.0.0/8)");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("rollcall.events.allowed-networks: '" + cidr + "' has a prefix length outside 0.." + bytes.length * 8);
            }
        }
        return new NetworkRange(bytes, prefix, trimmed);
    }

    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }
}
