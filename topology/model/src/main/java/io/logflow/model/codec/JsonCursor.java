package io.logflow.model.codec;

import java.nio.charset.StandardCharsets;

/**
 * The primitives of LogFlow's fast JSON readers ({@link EcsReader}, {@link SpanJsonReader}): a
 * position in a UTF-8 document and the tokens those readers accept, each either read exactly as
 * Jackson would read it or refused (null, false, -1), in which case the reader leaves the whole
 * document to Jackson. Accepted: no whitespace, strings with the escapes JSON defines (no lone
 * surrogates, no raw control characters, only well-formed UTF-8), plain integers.
 */
final class JsonCursor {
    /** Longer names are left to Jackson, which enforces its own limit on name length. */
    static final int MAX_FAST_NAME = 1000;

    final byte[] b;
    int pos;

    JsonCursor(byte[] b) {
        this.b = b;
    }

    boolean atEnd() {
        return pos >= b.length;
    }

    /** The next byte, consumed, or -1 at the end. */
    int next() {
        return pos < b.length ? b[pos++] : -1;
    }

    /** The next byte, not consumed, or -1 at the end. */
    int peek() {
        return pos < b.length ? b[pos] : -1;
    }

    boolean expect(char c) {
        if (pos < b.length && b[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Which of {@code names} is next (as a quoted string without escapes), or -1. */
    int knownName(byte[][] names) {
        if (pos >= b.length || b[pos] != '"') return -1;
        int start = pos + 1;
        int end = start;
        while (end < b.length && b[end] != '"') {
            if (b[end] == '\\') return -1;
            end++;
        }
        if (end >= b.length) return -1;
        int len = end - start;
        for (int i = 0; i < names.length; i++) {
            byte[] n = names[i];
            if (n.length == len && java.util.Arrays.equals(b, start, end, n, 0, len)) {
                pos = end + 1;
                return i;
            }
        }
        return -1;
    }

    /** A quoted string, or null for what is left to Jackson. */
    String string() {
        if (pos >= b.length || b[pos] != '"') return null;
        int start = pos + 1;
        int i = start;
        boolean ascii = true;
        while (true) {
            if (i >= b.length) return null;
            int c = b[i];
            if (c == '"') break;
            if (c == '\\') return escaped(start, i);
            if (c < 0) ascii = false;
            else if (c < 0x20) return null; // Jackson refuses raw control characters
            i++;
        }
        pos = i + 1;
        if (ascii) return new String(b, start, i - start, StandardCharsets.ISO_8859_1);
        return utf8(b, start, i);
    }

    /**
     * A JSON integer that fits a long ({@code -?(0|[1-9][0-9]*)}), or null for anything else
     * (a fraction, an exponent, too many digits), which Jackson reads.
     */
    Long integer() {
        int i = pos;
        boolean negative = i < b.length && b[i] == '-';
        if (negative) i++;
        int digitsStart = i;
        long v = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
            int d = b[i] - '0';
            if (v > (Long.MAX_VALUE - d) / 10) return null; // does not fit: Jackson decides
            v = v * 10 + d;
            i++;
        }
        int digits = i - digitsStart;
        if (digits == 0 || (digits > 1 && b[digitsStart] == '0')) return null;
        if (i < b.length && (b[i] == '.' || b[i] == 'e' || b[i] == 'E')) return null;
        pos = i;
        return negative ? -v : v;
    }

    /** Non-ASCII text: decoded only when it is well-formed UTF-8 (a malformed sequence would decode to U+FFFD). */
    private static String utf8(byte[] b, int start, int end) {
        String s = new String(b, start, end - start, StandardCharsets.UTF_8);
        return s.indexOf('\uFFFD') >= 0 ? null : s;
    }

    /** A string with escapes, from {@code start}; {@code i} is the first backslash. */
    private String escaped(int start, int i) {
        StringBuilder sb = new StringBuilder(i - start + 16);
        int runStart = start;
        while (true) {
            if (i >= b.length) return null;
            int c = b[i];
            if (c == '"') break;
            if (c >= 0 && c < 0x20) return null;
            if (c != '\\') {
                i++;
                continue;
            }
            if (i > runStart && !appendRun(sb, runStart, i)) return null;
            if (i + 1 >= b.length) return null;
            byte e = b[i + 1];
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (i + 6 > b.length) return null;
                    int v = 0;
                    for (int k = i + 2; k < i + 6; k++) {
                        int d = Character.digit(b[k], 16);
                        if (d < 0) return null;
                        v = (v << 4) | d;
                    }
                    if (Character.isSurrogate((char) v)) return null; // Jackson's rules for those
                    sb.append((char) v);
                    i += 4;
                }
                default -> {
                    return null;
                }
            }
            i += 2;
            runStart = i;
        }
        if (i > runStart && !appendRun(sb, runStart, i)) return null;
        pos = i + 1;
        return sb.toString();
    }

    private boolean appendRun(StringBuilder sb, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] < 0) {
                String s = utf8(b, from, to);
                if (s == null) return false;
                sb.append(s);
                return true;
            }
        }
        for (int k = from; k < to; k++) sb.append((char) b[k]);
        return true;
    }

    /** Names as {@link #knownName} matches them. */
    static byte[][] names(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) out[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        return out;
    }
}
