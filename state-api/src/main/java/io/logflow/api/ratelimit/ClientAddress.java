package io.logflow.api.ratelimit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The client's address for its rate-limit key: the connection's peer, unless the peer is one of the trusted
 * reverse proxies ({@code LOGFLOW_TRUSTED_PROXIES}); then {@code X-Forwarded-For} read from the right, the first
 * address that is not a trusted proxy (what the proxy nearest to us saw; anything left of it the client may have
 * written itself). Without trusted proxies the header is never read: a client could name any address in it.
 */
final class ClientAddress {
    static final String FORWARDED_FOR = "X-Forwarded-For";

    private final List<Cidr> trusted;

    ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(Cidr::parse).toList();
    }

    /** {@code ip:<address>}; {@code ip:unknown} when the server cannot tell (never for a real connection). */
    String key(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        InetAddress peer = remote == null ? null : remote.getAddress();
        if (peer == null) return "ip:unknown";
        InetAddress client = peer;
        if (isTrusted(peer)) {
            List<String> values = request.getHeaders().get(FORWARDED_FOR);
            if (values != null) client = forwarded(values, peer);
        }
        return "ip:" + client.getHostAddress();
    }

    private InetAddress forwarded(List<String> values, InetAddress peer) {
        InetAddress client = peer;
        for (int v = values.size() - 1; v >= 0; v--) {
            String[] hops = values.get(v).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                InetAddress hop = literal(hops[i].strip());
                if (hop == null) return client; // garbage: stop at the last address a trusted proxy vouched for
                client = hop;
                if (!isTrusted(hop)) return hop;
            }
        }
        return client;
    }

    private boolean isTrusted(InetAddress a) {
        for (Cidr c : trusted) if (c.contains(a)) return true;
        return false;
    }

    /** An IP literal (never a DNS lookup), or null. */
    static InetAddress literal(String s) {
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        if (s.indexOf(':') < 0 ? !ipv4(s) : !ipv6Chars(s)) return null;
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    /** Only what an IPv6 literal has, starting with a hex digit or ':' (the JDK then parses it, never resolves). */
    private static boolean ipv6Chars(String s) {
        if (s.charAt(0) == '.') return false;
        return s.chars()
                .allMatch(c -> c == ':' || c == '.' || ascii(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
    }

    private static boolean ascii(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(ClientAddress::ascii)) return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    /** An address range: {@code 10.0.0.0/8}, {@code fd00::/8}, or one address. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            InetAddress a = literal(slash < 0 ? text : text.substring(0, slash));
            if (a == null)
                throw new IllegalArgumentException(
                        "logflow.rate-limits.trusted-proxies: not an address or CIDR range: '" + text + "'");
            int bits = a.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits)
                throw new IllegalArgumentException(
                        "logflow.rate-limits.trusted-proxies: bad prefix length in '" + text + "'");
            return new Cidr(a.getAddress(), prefix);
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) if (b[i] != network[i]) return false;
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = 0xff << (8 - rest);
            return (b[full] & mask) == (network[full] & mask);
        }
    }
}
