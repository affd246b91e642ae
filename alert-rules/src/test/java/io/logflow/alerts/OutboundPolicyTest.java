package io.logflow.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboundPolicyTest {
    /** Fixed DNS answers: no network in unit tests. */
    static final Map<String, List<String>> DNS = Map.of(
            "hooks.example.com", List.of("93.184.216.34"),
            "rebind.example.com", List.of("93.184.216.34", "10.0.0.7"),
            "metadata.example.com", List.of("169.254.169.254"),
            "receiver.local", List.of("127.0.0.1"),
            "localhost", List.of("127.0.0.1", "::1"));

    static final OutboundPolicy.Resolver FAKE = host -> {
        List<String> answers = DNS.get(host);
        if (answers == null) {
            // literals resolve to themselves, as InetAddress does
            if (host.contains(":") || host.matches("[0-9.]+")) return new InetAddress[] {InetAddress.getByName(host)};
            throw new UnknownHostException(host);
        }
        InetAddress[] out = new InetAddress[answers.size()];
        for (int i = 0; i < out.length; i++) out[i] = InetAddress.getByName(answers.get(i));
        return out;
    };

    static String range(String literal) throws UnknownHostException {
        return OutboundPolicy.forbiddenRange(InetAddress.getByName(literal));
    }

    @Test
    void everyForbiddenIpv4Range_isNamed() throws Exception {
        assertThat(range("127.0.0.1")).isEqualTo("loopback");
        assertThat(range("127.255.0.9")).isEqualTo("loopback");
        assertThat(range("0.0.0.0")).isEqualTo("unspecified");
        assertThat(range("0.1.2.3")).contains("this network");
        assertThat(range("169.254.169.254")).startsWith("link-local");
        assertThat(range("10.1.2.3")).isEqualTo("private");
        assertThat(range("172.16.0.1")).isEqualTo("private");
        assertThat(range("172.31.255.255")).isEqualTo("private");
        assertThat(range("192.168.1.1")).isEqualTo("private");
        assertThat(range("100.64.0.1")).startsWith("shared");
        assertThat(range("100.127.255.254")).startsWith("shared");
        assertThat(range("224.0.0.1")).isEqualTo("multicast");
        assertThat(range("239.255.255.250")).isEqualTo("multicast");
        assertThat(range("255.255.255.255")).isEqualTo("broadcast");
        assertThat(range("240.0.0.1")).startsWith("reserved");
        assertThat(range("198.18.0.1")).startsWith("reserved");
    }

    @Test
    void publicIpv4_nextToTheRanges_isNotForbidden() throws Exception {
        for (String a : List.of(
                "93.184.216.34",
                "8.8.8.8",
                "172.15.255.255",
                "172.32.0.1",
                "100.63.255.255",
                "100.128.0.1",
                "169.253.1.1",
                "192.169.0.1",
                "223.255.255.255",
                "11.0.0.1",
                "126.255.255.255",
                "128.0.0.1")) {
            assertThat(range(a)).as(a).isNull();
        }
    }

    @Test
    void ipv6Ranges_andIpv4InsideIpv6_areForbidden() throws Exception {
        assertThat(range("::1")).isEqualTo("loopback");
        assertThat(range("::")).isEqualTo("unspecified");
        assertThat(range("fe80::1")).isEqualTo("link-local");
        assertThat(range("febf:ffff::1")).isEqualTo("link-local");
        assertThat(range("fec0::1")).isEqualTo("site-local");
        assertThat(range("fc00::1")).startsWith("unique-local");
        assertThat(range("fd12:3456::1")).startsWith("unique-local");
        assertThat(range("ff02::1")).isEqualTo("multicast");
        // IPv4-mapped: InetAddress already reads these as IPv4; the policy also unwraps raw mapped bytes
        assertThat(range("::ffff:127.0.0.1")).isEqualTo("loopback");
        assertThat(range("::ffff:169.254.169.254")).startsWith("link-local");
        assertThat(range("::ffff:a9fe:a9fe")).startsWith("link-local");
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[15] = 1;
        assertThat(OutboundPolicy.forbiddenRange(java.net.Inet6Address.getByAddress(null, mapped, null)))
                .isEqualTo("private");
        assertThat(range("::127.0.0.1")).isEqualTo("loopback (IPv4-compatible)");
        assertThat(range("64:ff9b::a9fe:a9fe")).isEqualTo("link-local (cloud metadata) (NAT64)");
        assertThat(range("2002:7f00:1::1")).isEqualTo("loopback (6to4)");
        assertThat(range("2606:4700:4700::1111")).isNull();
        assertThat(range("64:ff9b::808:808")).isNull();
    }

    @Test
    void theCloudMetadataUrl_isRefused_inEverySpelling() {
        OutboundPolicy strict = OutboundPolicy.strict();
        for (String url : List.of(
                "http://169.254.169.254/latest/meta-data",
                "http://[::ffff:169.254.169.254]/",
                "http://[::ffff:a9fe:a9fe]/",
                "http://2852039166/",
                "http://0xa9fea9fe/",
                "http://0251.0376.0251.0376/",
                "http://169.254.43518/",
                "http://metadata.example.com/",
                "http://METADATA.example.com./")) {
            // a few spellings are not even a URL with a host to java.net.URI (nor to the sender)
            assertThat(strict.urlRefusal(url, FAKE)).as(url).isNotNull();
        }
        assertThat(strict.urlRefusal("http://169.254.169.254/latest/meta-data", FAKE))
                .startsWith("may not be reached: 169.254.169.254 is a link-local (cloud metadata) address");
    }

    @Test
    void loopback_inEverySpelling_isRefused() {
        OutboundPolicy strict = OutboundPolicy.strict();
        for (String url : List.of(
                "http://127.0.0.1:9999/hook",
                "http://127.0.0.1.:9999/hook",
                "http://2130706433/",
                "http://017700000001/",
                "http://0177.0.0.1/",
                "http://0x7f.0.0.1/",
                "http://0x7f000001/",
                "http://127.1/",
                "http://[::1]/",
                "http://[0:0:0:0:0:0:0:1]/",
                "http://[::ffff:127.0.0.1]/",
                "http://localhost/",
                "http://LOCALHOST./",
                "https://0.0.0.0/",
                "http://[::]/")) {
            assertThat(strict.urlRefusal(url, FAKE)).as(url).isNotNull();
        }
        assertThat(strict.urlRefusal("http://[::ffff:127.0.0.1]/", FAKE)).startsWith("may not be reached: ");
        assertThat(strict.urlRefusal("http://LOCALHOST./", FAKE)).startsWith("may not be reached: localhost (");
        assertThat(strict.urlRefusal("http://0x7f000001/", FAKE)).contains("not a plain dotted IPv4 address");
        for (String host : List.of("0x7f.0.0.1", "0177.0.0.1", "127.1", "127.0.0.1.", "2130706433.")) {
            assertThatThrownBy(() -> strict.addresses(host, FAKE)).as(host).isInstanceOf(OutboundPolicy.Refused.class);
        }
        assertThat(strict.urlRefusal("http://2130706433/", FAKE)).contains("not a plain dotted IPv4 address");
        assertThat(strict.urlRefusal("http://127.0.0.1:9999/hook", FAKE))
                .isEqualTo("may not be reached: 127.0.0.1 is a loopback address; LOGFLOW_WEBHOOK_ALLOW can permit it");
    }

    @Test
    void aHostWithAnyForbiddenAddress_isRefused_andTheMessageNamesHostAndAddress_notTheUrl() {
        String refusal = OutboundPolicy.strict().urlRefusal("https://rebind.example.com/hook?token=secret", FAKE);
        assertThat(refusal)
                .contains("rebind.example.com (10.0.0.7) is a private address")
                .doesNotContain("secret");
    }

    @Test
    void publicHosts_andHostsThatDoNotResolveNow_areAccepted() {
        OutboundPolicy strict = OutboundPolicy.strict();
        assertThat(strict.urlRefusal("https://hooks.example.com/services/T0/B0/x", FAKE))
                .isNull();
        assertThat(strict.urlRefusal("http://93.184.216.34:8080/hook", FAKE)).isNull();
        assertThat(strict.urlRefusal("https://[2606:4700:4700::1111]/", FAKE)).isNull();
        // checked again at every send, where it must resolve to be sent to
        assertThat(strict.urlRefusal("https://not-yet.example.org/", FAKE)).isNull();
    }

    @Test
    void onlyHttpWithoutUserInfo() {
        OutboundPolicy strict = OutboundPolicy.strict();
        assertThat(strict.urlRefusal("ftp://hooks.example.com/", FAKE)).startsWith("must be an absolute http");
        assertThat(strict.urlRefusal("file:///etc/passwd", FAKE)).startsWith("must be an absolute http");
        assertThat(strict.urlRefusal("http://user:pw@hooks.example.com/", FAKE)).contains("user info");
    }

    @Test
    void theAllowList_permitsRangesAddressesAndHosts_andNothingElse() throws Exception {
        OutboundPolicy allow = OutboundPolicy.parse(" 127.0.0.1/32, 10.1.0.0/16 ,fd00::/8, ::1, receiver.local. ");
        assertThat(allow.urlRefusal("http://127.0.0.1:9999/hook", FAKE)).isNull();
        assertThat(allow.urlRefusal("http://[::ffff:127.0.0.1]:9999/hook", FAKE))
                .isNull();
        assertThat(allow.urlRefusal("http://10.1.255.3/", FAKE)).isNull();
        assertThat(allow.urlRefusal("http://[fd00::5]/", FAKE)).isNull();
        assertThat(allow.urlRefusal("http://[::1]/", FAKE)).isNull();
        assertThat(allow.urlRefusal("http://localhost/", FAKE)).isNull(); // 127.0.0.1 and ::1, both allowed
        assertThat(allow.urlRefusal("http://Receiver.Local/", FAKE)).isNull();
        assertThat(allow.urlRefusal("http://127.0.0.2/", FAKE))
                .isEqualTo("may not be reached: 127.0.0.2 is a loopback address, not in LOGFLOW_WEBHOOK_ALLOW");
        assertThat(allow.urlRefusal("http://10.2.0.1/", FAKE)).contains("private");
        assertThat(allow.urlRefusal("http://169.254.169.254/", FAKE)).contains("link-local");
        // the numeric spellings stay refused: the allow-list permits addresses, not spellings
        assertThat(allow.urlRefusal("http://2130706433/", FAKE)).contains("not a plain dotted IPv4 address");

        OutboundPolicy onlyV4 = OutboundPolicy.parse("127.0.0.1/32");
        assertThat(onlyV4.urlRefusal("http://localhost/", FAKE)).contains("localhost (0:0:0:0:0:0:0:1) is a loopback");
    }

    @Test
    void aBadAllowListEntry_isNamed() {
        assertThatThrownBy(() -> OutboundPolicy.parse("127.0.0.1/33"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'127.0.0.1/33'");
        assertThatThrownBy(() -> OutboundPolicy.parse("127.0.0.1,host name")).hasMessageContaining("'host name'");
        assertThatThrownBy(() -> OutboundPolicy.parse("receiver.local/8")).hasMessageContaining("'receiver.local/8'");
        assertThat(OutboundPolicy.parse(" , ").urlRefusal("http://127.0.0.1/", FAKE))
                .contains("loopback");
    }

    @Test
    void addresses_returnsWhatWasChecked_orRefuses() throws Exception {
        OutboundPolicy strict = OutboundPolicy.strict();
        assertThat(strict.addresses("hooks.example.com", FAKE)).containsExactly(InetAddress.getByName("93.184.216.34"));
        assertThatThrownBy(() -> strict.addresses("rebind.example.com", FAKE))
                .isInstanceOf(OutboundPolicy.Refused.class);
        assertThatThrownBy(() -> strict.addresses("nowhere.example.org", FAKE))
                .isInstanceOf(UnknownHostException.class);
    }
}
