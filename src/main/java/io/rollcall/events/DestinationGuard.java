package io.rollcall.events;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.rollcall.config.RollcallConfig;

/**
 * Keeps webhook deliveries out of the operator's own network (SSRF). A subscription URL must be {@code http} or
 * {@code https}, and every address its host resolves to must be public: loopback, link-local (169.254.0.0/16,
 * fe80::/10, where cloud metadata services answer), private (RFC 1918, 100.64.0.0/10), unique-local (fc00::/7),
 * unspecified, multicast, broadcast and reserved addresses are refused, also when written inside an IPv6 form
 * ({@code ::ffff:127.0.0.1}, {@code ::127.0.0.1}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) — unless the
 * operator allows their network with {@code rollcall.events.allowed-networks}.
 * <p>
 * The check answers the address it checked, and the sender connects to exactly that address, so a second DNS answer
 * between check and connection (DNS rebinding) cannot send it elsewhere. A host with any refused address is refused
 * as a whole. {@link #check} resolves names, so it blocks: call it off the event loop.
 */
@ApplicationScoped
public class DestinationGuard {

    /** Where a delivery goes: the URL's parts, and the one address checked and connected to. */
    public record Destination(boolean tls, String host, int port, String pathAndQuery, InetAddress address) {
    }

    /** Why a URL is refused, in words for a 400's detail or a delivery's recorded error. */
    public static final class RefusedDestination extends Exception {
        public RefusedDestination(String reason) {
            super(reason, null, false, false);
        }
    }

    private final List<NetworkRange> allowed;

    @Inject
    public DestinationGuard(RollcallConfig config) {
        this(config.events().allowedNetworks().orElse(List.of()));
    }

    /** A guard that allows exactly these networks (CIDR) besides public addresses. */
    public DestinationGuard(List<String> allowedNetworks) {
        this.allowed = allowedNetworks.stream().filter(cidr -> !cidr.isBlank()).map(NetworkRange::parse).toList();
    }

    /** The URL's parts, before any DNS: what {@link #check} resolves. */
    public static URI parse(String url) throws RefusedDestination {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RefusedDestination("'" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedDestination("The URL must be http or https, e.g. https://events.example.com/rollcall");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new RefusedDestination("The URL has no host name Rollcall can use");
        }
        if (uri.getRawUserInfo() != null) {
            throw new RefusedDestination("The URL must not carry credentials before the host; receivers verify the "
                    + "signature instead");
        }
        if (uri.getRawFragment() != null) {
            throw new RefusedDestination("The URL must not have a fragment (#...)");
        }
        return uri;
    }

    /** The destination to connect to, or why not: parses, resolves the host and checks every address. Blocks. */
    public Destination check(String url) throws RefusedDestination {
        URI uri = parse(url);
        boolean tls = uri.getScheme().equalsIgnoreCase("https");
        String host = uri.getHost();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw new RefusedDestination("The host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = refusal(address);
            if (refused.isPresent()) {
                throw new RefusedDestination("The host " + host + " resolves to " + address.getHostAddress() + ", "
                        + refused.get() + "; Rollcall delivers only to public addresses unless the operator allows "
                        + "that network (rollcall.events.allowed-networks)");
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new Destination(tls, host, port, pathAndQuery, addresses[0]);
    }

    /** Why the address is refused, or empty when it is public or in an allowed network. */
    Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (isAllowed(bytes)) {
            return Optional.empty();
        }
        byte[] v4 = embeddedIpv4(address);
        if (v4 != null) {
            if (isAllowed(v4)) {
                return Optional.empty();
            }
            return ipv4Refusal(v4).map(reason -> address instanceof Inet6Address
                    ? reason + " written as IPv6" : reason);
        }
        return ipv6Refusal(bytes);
    }

    private boolean isAllowed(byte[] address) {
        return allowed.stream().anyMatch(range -> range.contains(address));
    }

    /** The IPv4 address an address stands for: itself, or one carried in a mapped, compatible, NAT64 or 6to4 form. */
    private static byte[] embeddedIpv4(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return b;
        }
        boolean firstTenZero = Arrays.equals(Arrays.copyOfRange(b, 0, 10), new byte[10]);
        if (firstTenZero && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0
                && !Arrays.equals(Arrays.copyOfRange(b, 12, 16), new byte[4])
                && !Arrays.equals(Arrays.copyOfRange(b, 12, 16), new byte[] { 0, 0, 0, 1 })))) {
            return Arrays.copyOfRange(b, 12, 16); // ::ffff:a.b.c.d and the deprecated ::a.b.c.d
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b
                && Arrays.equals(Arrays.copyOfRange(b, 4, 12), new byte[8])) {
            return Arrays.copyOfRange(b, 12, 16); // NAT64 64:ff9b::a.b.c.d
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return Arrays.copyOfRange(b, 2, 6); // 6to4 2002:aabb:ccdd::
        }
        return null;
    }

    private static Optional<String> ipv4Refusal(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 127) {
            return Optional.of("a loopback address");
        }
        if (first == 169 && second == 254) {
            return Optional.of("a link-local address (where cloud metadata services answer)");
        }
        if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
            return Optional.of("a private address (RFC 1918)");
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return Optional.of("a private address (shared address space, RFC 6598)");
        }
        if (first == 0) {
            return Optional.of("an unspecified address");
        }
        if (first >= 224 && first <= 239) {
            return Optional.of("a multicast address");
        }
        if (Arrays.equals(b, new byte[] { (byte) 255, (byte) 255, (byte) 255, (byte) 255 })) {
            return Optional.of("the broadcast address");
        }
        if (first >= 240) {
            return Optional.of("a reserved address");
        }
        if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
            return Optional.of("a reserved address (IETF protocol assignments)");
        }
        if (first == 198 && (second == 18 || second == 19)) {
            return Optional.of("a reserved address (benchmarking)");
        }
        return Optional.empty();
    }

    private static Optional<String> ipv6Refusal(byte[] b) {
        if (Arrays.equals(b, new byte[16])) {
            return Optional.of("an unspecified address");
        }
        byte[] loopback = new byte[16];
        loopback[15] = 1;
        if (Arrays.equals(b, loopback)) {
            return Optional.of("a loopback address");
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return Optional.of("a link-local address");
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return Optional.of("a site-local address");
        }
        if ((first & 0xfe) == 0xfc) {
            return Optional.of("a unique-local address (fc00::/7)");
        }
        if (first == 0xff) {
            return Optional.of("a multicast address");
        }
        if (first == 0x01 && second == 0x00 && Arrays.equals(Arrays.copyOfRange(b, 2, 8), new byte[6])) {
            return Optional.of("a discard-only address");
        }
        if (first == 0x20 && second == 0x01 && b[2] == 0x00 && b[3] == 0x00) {
            return Optional.of("a Teredo address (it carries an IPv4 address Rollcall cannot check)");
        }
        return Optional.empty();
    }
}
