package io.rollcall.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SSRF rules for subscription URLs, with the operator's default (no network allowed): each class of internal address
 * is refused however it is written, names are judged by what they resolve to, and an allowed network opens exactly
 * itself.
 */
class DestinationGuardTest {

    private final DestinationGuard byDefault = new DestinationGuard(List.of());

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(delimiter = '|', value = {
        "http://127.0.0.1/hook                 | loopback",
        "http://127.1.2.3:8080/hook            | loopback",
        "http://localhost:8080/hook            | loopback",
        "http://[::1]/hook                     | loopback",
        "http://[::ffff:127.0.0.1]/hook        | loopback",
        "http://[::ffff:7f00:1]/hook           | loopback",
        "http://[0:0:0:0:0:ffff:127.0.0.1]/h   | loopback",
        "http://[::127.0.0.1]/hook             | loopback",
        "http://[64:ff9b::7f00:1]/hook         | loopback",
        "http://[2002:7f00:1::]/hook           | loopback",
        "http://169.254.169.254/latest/meta-data | link-local",
        "http://[::ffff:169.254.169.254]/      | link-local",
        "http://[fe80::1]/hook                 | link-local",
        "http://10.0.0.1/hook                  | private",
        "http://172.16.5.4/hook                | private",
        "http://172.31.255.255/hook            | private",
        "http://192.168.1.1/hook               | private",
        "http://100.64.0.1/hook                | private",
        "https://[fd00::1]/hook                | unique-local",
        "https://[fc00::abcd]/hook             | unique-local",
        "http://0.0.0.0/hook                   | unspecified",
        "http://[::]/hook                      | unspecified",
        "http://224.0.0.1/hook                 | multicast",
        "http://[ff02::1]/hook                 | multicast",
        "http://255.255.255.255/hook           | broadcast",
        "http://240.0.0.1/hook                 | reserved" })
    void refusesInternalAddressesHoweverWritten(String url, String kind) {
        var refused = assertThrows(DestinationGuard.RefusedDestination.class, () -> byDefault.check(url));
        assertTrue(refused.getMessage().contains(kind), refused.getMessage());
        assertTrue(refused.getMessage().contains("rollcall.events.allowed-networks"), refused.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ftp://example.com/hook          | http or https",
        "file:///etc/passwd              | http or https",
        "gopher://127.0.0.1:25/          | http or https",
        "javascript:alert(1)             | http or https",
        "http://user:pw@93.184.215.14/h  | credentials",
        "http://93.184.215.14/h#frag     | fragment",
        "http:///nohost                  | host",
        "not a url                       | not a URL" })
    void refusesWhatIsNotAPlainHttpUrl(String url, String reason) {
        var refused = assertThrows(DestinationGuard.RefusedDestination.class, () -> byDefault.check(url));
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }

    @Test
    void acceptsAPublicAddressAndConnectsToTheAddressItChecked() throws Exception {
        DestinationGuard.Destination destination = byDefault.check("https://93.184.215.14:8443/hooks/a?x=1");
        assertEquals("93.184.215.14", destination.address().getHostAddress());
        assertEquals(8443, destination.port());
        assertTrue(destination.tls());
        assertEquals("/hooks/a?x=1", destination.pathAndQuery());
        assertEquals(80, byDefault.check("http://[2606:4700::1111]").port());
        assertEquals("/", byDefault.check("http://[2606:4700::1111]").pathAndQuery());
    }

    @Test
    void anAllowedNetworkOpensExactlyItself() throws Exception {
        DestinationGuard loopbackAllowed = new DestinationGuard(List.of("127.0.0.0/8", "fd12:3456::/32"));
        assertEquals("127.0.0.1", loopbackAllowed.check("http://127.0.0.1:9/hook").address().getHostAddress());
        loopbackAllowed.check("http://[::ffff:127.0.0.1]/hook");
        loopbackAllowed.check("http://[fd12:3456:1::1]/hook");
        assertThrows(DestinationGuard.RefusedDestination.class, () -> loopbackAllowed.check("http://[::1]/hook"));
        assertThrows(DestinationGuard.RefusedDestination.class, () -> loopbackAllowed.check("http://10.0.0.1/"));
        assertThrows(DestinationGuard.RefusedDestination.class, () -> loopbackAllowed.check("http://[fd12:3457::1]/"));
        assertThrows(DestinationGuard.RefusedDestination.class,
                () -> loopbackAllowed.check("http://169.254.169.254/"));
    }

    @Test
    void aHostNameIsJudgedByEveryAddressItResolvesTo() {
        // localhost resolves to 127.0.0.1 (and often ::1 too): refused by default, whatever the name looks like
        var refused = assertThrows(DestinationGuard.RefusedDestination.class,
                () -> byDefault.check("http://localhost/hook"));
        assertTrue(refused.getMessage().contains("resolves to"), refused.getMessage());
    }

    @Test
    void refusesAMalformedAllowedNetworkAtStart() {
        for (String bad : List.of("example.com/8", "10.0.0.0/33", "10.0.0.0/x", "::/129")) {
            assertThrows(IllegalArgumentException.class, () -> new DestinationGuard(List.of(bad)), bad);
        }
    }
}
