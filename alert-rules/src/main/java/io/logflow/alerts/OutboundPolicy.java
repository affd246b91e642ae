package io.logflow.alerts;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which addresses a rule's webhook or Slack URL may reach (ADR 025). Refused unless the allow-list
 * permits them: loopback, unspecified, link-local (cloud metadata at 169.254.169.254), private and
 * unique-local, shared (CGNAT), multicast, broadcast and reserved addresses, also inside IPv6
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4). A host is judged by every address it resolves to, never
 * by its spelling; a host that spells an IPv4 address other than as four decimal parts ({@code
 * 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}) is refused outright, since programs disagree on what
 * it means.
 *
 * <p>The allow-list ({@code LOGFLOW_WEBHOOK_ALLOW}) is comma-separated: CIDR ranges ({@code
 * 127.0.0.1/32}, {@code fd00::/8}), single addresses, or host names, which permit whatever they resolve
 * to.
 */
public final class OutboundPolicy {
    /** Resolves a host name (or an address literal) to its addresses. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The JVM's resolver. */
    public static final Resolver SYSTEM = InetAddress::getAllByName;

    /** A host or address that may not be contacted; the message names the host and address, never a URL. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    /** A last label a URL parser reads as a number: decimal, or hex with 0x. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("\\d+|0[xX][0-9a-fA-F]*");

    private record Cidr(byte[] network, int bits) {
        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) return false;
            int full = bits / 8;
            for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
            int rest = bits % 8;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Cidr> ranges;
    private final Set<String> hosts;
    private final String allow;

    private OutboundPolicy(List<Cidr> ranges, Set<String> hosts, String allow) {
        this.ranges = List.copyOf(ranges);
        this.hosts = Set.copyOf(hosts);
        this.allow = allow;
    }

    /** No exceptions: every forbidden address refused. */
    public static OutboundPolicy strict() {
        return new OutboundPolicy(List.of(), Set.of(), "");
    }

    /**
     * @param allow comma-separated CIDR ranges, addresses and host names permitted despite the rules; null
     *     or blank for none
     * @throws IllegalArgumentException naming the entry that is neither
     */
    public static OutboundPolicy parse(String allow) {
        if (allow == null || allow.isBlank()) return strict();
        List<Cidr> ranges = new ArrayList<>();
        Set<String> hosts = new LinkedHashSet<>();
        for (String raw : allow.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) continue;
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            InetAddress parsed = literal(address);
            if (parsed == null) {
                if (slash >= 0 || !entry.matches("[A-Za-z0-9._-]+\\.?"))
                    throw new IllegalArgumentException(
                            "'" + entry + "' is neither a CIDR range, an address nor a host name");
                hosts.add(normalize(entry));
                continue;
            }
            byte[] bytes = canonical(parsed).getAddress();
            int bits = bytes.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > bytes.length * 8)
                    throw new IllegalArgumentException(
                            "'" + entry + "': the prefix length must be 0.." + bytes.length * 8);
            }
            ranges.add(new Cidr(bytes, bits));
        }
        return new OutboundPolicy(ranges, hosts, allow.trim());
    }

    /**
     * Why a webhook or Slack URL may not be saved, or null when it may: not http(s), user info, a host
     * spelling an address ambiguously, or a host that is or resolves to a forbidden address. A host that
     * does not resolve now is not refused: it is checked again at every send.
     */
    public String urlRefusal(String url, Resolver resolver) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return "must be an absolute http or https URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) return "must be an absolute http or https URL";
        if (uri.getRawUserInfo() != null) return "must not contain user info (user:password@)";
        if (uri.getHost() == null || uri.getHost().isEmpty())
            return "must be an absolute http or https URL with a host";
        try {
            addresses(uri.getHost(), resolver);
            return null;
        } catch (Refused e) {
            return "may not be reached: " + e.getMessage();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Resolves the host once and checks every address: what is returned is what may be connected to.
     *
     * @param host a host name or address literal as in a URL (brackets, a trailing dot allowed)
     * @throws Refused when the host or any of its addresses is forbidden and not allowed
     * @throws UnknownHostException when it does not resolve
     */
    public List<InetAddress> addresses(String host, Resolver resolver) throws Refused, UnknownHostException {
        requireNonNull(host, "host");
        String name = normalize(host);
        if (name.isEmpty()) throw new UnknownHostException("no host");
        if (ambiguousNumber(name))
            throw new Refused(name + " is not a plain dotted IPv4 address (a number, octal or hex form)");
        InetAddress[] resolved = resolver.resolve(name);
        if (resolved == null || resolved.length == 0) throw new UnknownHostException(name);
        for (InetAddress a : resolved) check(name, a);
        return List.of(resolved);
    }

    /**
     * Checks one address of a host (already resolved).
     *
     * @throws Refused when it is forbidden and neither the host nor the address is allowed
     */
    public void check(String host, InetAddress address) throws Refused {
        String name = normalize(host);
        if (hosts.contains(name)) return;
        InetAddress a = canonical(address);
        for (Cidr r : ranges) if (r.contains(a)) return;
        String range = forbiddenRange(a);
        if (range == null) return;
        String shown = a.getHostAddress();
        throw new Refused((name.equals(shown) ? name : name + " (" + shown + ")") + " is a " + range + " address"
                + (allow.isEmpty() ? "; LOGFLOW_WEBHOOK_ALLOW can permit it" : ", not in LOGFLOW_WEBHOOK_ALLOW"));
    }

    /** The kind of forbidden range the address is in (loopback, private, …), or null for a public address. */
    public static String forbiddenRange(InetAddress address) {
        byte[] b = canonical(address).getAddress();
        if (b.length == 4) return ipv4Range(b);
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (allZero(b, 0, 15)) {
            if (b[15] == 0) return "unspecified";
            if (b[15] == 1) return "loopback";
        }
        if (allZero(b, 0, 12)) return embedded(b, 12, "IPv4-compatible"); // ::a.b.c.d (deprecated)
        if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) return embedded(b, 12, "mapped");
        if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12))
            return embedded(b, 12, "NAT64"); // 64:ff9b::/96
        if (first == 0x20 && second == 0x02) return embedded(b, 2, "6to4"); // 2002::/16
        if (first == 0xfe && (second & 0xc0) == 0x80) return "link-local";
        if (first == 0xfe && (second & 0xc0) == 0xc0) return "site-local";
        if ((first & 0xfe) == 0xfc) return "unique-local (private)";
        if (first == 0xff) return "multicast";
        return null;
    }

    private static String ipv4Range(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 0) return allZero(b, 0, 4) ? "unspecified" : "\"this network\" (0.0.0.0/8)";
        if (a0 == 127) return "loopback";
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) return "private";
        if (a0 == 100 && (a1 & 0xc0) == 64) return "shared (CGNAT, 100.64.0.0/10)";
        if (a0 == 169 && a1 == 254) return "link-local (cloud metadata)";
        if (a0 == 192 && a1 == 0 && b[2] == 0) return "reserved (192.0.0.0/24)";
        if (a0 == 198 && (a1 & 0xfe) == 18) return "reserved (benchmarking, 198.18.0.0/15)";
        if (a0 >= 224 && a0 <= 239) return "multicast";
        if (a0 == 255 && a1 == 255 && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255) return "broadcast";
        if (a0 >= 240) return "reserved (240.0.0.0/4)";
        return null;
    }

    private static String embedded(byte[] b, int at, String form) {
        String inner = ipv4Range(Arrays.copyOfRange(b, at, at + 4));
        return inner == null ? null : inner + " (" + form + ")";
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }

    /** An IPv4-mapped IPv6 address as the IPv4 address it is; any other as it is. */
    static InetAddress canonical(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address && allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // four bytes are always an address
            }
        }
        return a;
    }

    /** A host as a URL names it, for comparison and resolution: no brackets, lower case, no trailing dot. */
    static String normalize(String host) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        h = h.toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h;
    }

    /** An address literal (IPv6, or IPv4 as four decimal parts), parsed without DNS; else null. */
    private static InetAddress literal(String text) {
        String t = normalize(text);
        if (!t.contains(":") && !DOTTED_QUAD.matcher(t).matches()) return null;
        if (t.contains(":") && !t.matches("[0-9a-f:.%A-Za-z_-]+")) return null;
        try {
            InetAddress a = InetAddress.getByName(t);
            return a instanceof Inet4Address || a instanceof Inet6Address ? a : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A host whose last label is a number but which is not four decimal parts: {@code 2130706433}, {@code 0x7f.1}. */
    private static boolean ambiguousNumber(String name) {
        if (name.contains(":")) return false;
        String last = name.substring(name.lastIndexOf('.') + 1);
        return NUMERIC_LABEL.matcher(last).matches()
                && !DOTTED_QUAD.matcher(name).matches();
    }
}
