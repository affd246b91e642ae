package io.logflow.model.codec;

import java.util.Arrays;

/**
 * The output side of LogFlow's fast JSON writers ({@link EcsWriter}, {@link SpanJsonWriter}): a
 * reused byte buffer and the tokens they write, byte for byte as Jackson's generator writes them
 * (same escaping: {@code \"}, {@code \\}, {@code \b \t \n \f \r}, other control characters as
 * {@code \}{@code u00XX}, everything else as UTF-8). What it cannot write that way (a lone
 * surrogate) it refuses, and the writer leaves the document to Jackson.
 */
abstract class JsonOut {
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int KEEP_BUFFER_BYTES = 64 * 1024;
    /** 9999-12-31T23:59:59.999Z */
    static final long MAX_FAST_MILLIS = 253402300799999L;

    byte[] buf = new byte[1024];
    int pos;

    /**
     * Writes {@code value} with this thread's writer: the bytes, or null when the writer leaves it to
     * Jackson. The writer's buffer is kept for the next value unless it grew large.
     */
    static <W extends JsonOut, T> byte[] write(
            ThreadLocal<W> writers, T value, java.util.function.BiPredicate<W, T> body) {
        W w = writers.get();
        w.pos = 0;
        try {
            return body.test(w, value) ? Arrays.copyOf(w.buf, w.pos) : null;
        } finally {
            if (w.buf.length > KEEP_BUFFER_BYTES) w.buf = new byte[1024];
        }
    }

    /** A long in decimal, as Long.toString. */
    void number(long v) {
        raw(Long.toString(v));
    }

    /**
     * As Instant.toString for millisecond times in years 1970-9999: yyyy-MM-ddTHH:mm:ss[.SSS]Z, the
     * milliseconds left out when zero unless {@code alwaysMillis}.
     */
    void timestamp(long millis, boolean alwaysMillis) {
        long secs = Math.floorDiv(millis, 1000L);
        int ms = (int) Math.floorMod(millis, 1000L);
        long days = Math.floorDiv(secs, 86_400L);
        int secOfDay = (int) Math.floorMod(secs, 86_400L);
        // civil-from-days (H. Hinnant), days since 1970-01-01
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        if (m <= 2) y++;
        ensure(32);
        digits((int) y, 4);
        buf[pos++] = '-';
        digits(m, 2);
        buf[pos++] = '-';
        digits(d, 2);
        buf[pos++] = 'T';
        digits(secOfDay / 3600, 2);
        buf[pos++] = ':';
        digits(secOfDay / 60 % 60, 2);
        buf[pos++] = ':';
        digits(secOfDay % 60, 2);
        if (ms != 0 || alwaysMillis) {
            buf[pos++] = '.';
            digits(ms, 3);
        }
        buf[pos++] = 'Z';
    }

    void digits(int v, int width) {
        for (int i = width - 1; i >= 0; i--) {
            buf[pos + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos += width;
    }

    /** ASCII text that needs no escaping. */
    void raw(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) buf[pos++] = (byte) s.charAt(i);
    }

    void byte1(char c) {
        ensure(1);
        buf[pos++] = (byte) c;
    }

    /** A quoted JSON string; false for a lone surrogate (Jackson decides how to write it). */
    boolean string(String s) {
        int n = s.length();
        ensure(n * 3 + 2); // worst case per char: 3 bytes of UTF-8; escapes and pairs are handled below
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                    continue;
                }
                pos = p;
                ensure(6 + (n - i) * 3 + 1);
                b = buf;
                p = pos;
                b[p++] = '\\';
                switch (c) {
                    case '"' -> b[p++] = '"';
                    case '\\' -> b[p++] = '\\';
                    case '\b' -> b[p++] = 'b';
                    case '\t' -> b[p++] = 't';
                    case '\n' -> b[p++] = 'n';
                    case '\f' -> b[p++] = 'f';
                    case '\r' -> b[p++] = 'r';
                    default -> {
                        b[p++] = 'u';
                        b[p++] = '0';
                        b[p++] = '0';
                        b[p++] = HEX_UPPER[c >> 4];
                        b[p++] = HEX_UPPER[c & 0xF];
                    }
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else {
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1)))
                    return false;
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            }
        }
        b[p++] = '"';
        pos = p;
        return true;
    }

    void ensure(int extra) {
        if (pos + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
    }
}
