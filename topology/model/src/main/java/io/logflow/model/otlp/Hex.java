package io.logflow.model.otlp;

import com.google.protobuf.ByteString;

/** Lowercase hex of OTLP ids. */
final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {}

    static String of(ByteString bytes) {
        char[] out = new char[bytes.size() * 2];
        for (int i = 0; i < bytes.size(); i++) {
            int b = bytes.byteAt(i) & 0xff;
            out[2 * i] = DIGITS[b >> 4];
            out[2 * i + 1] = DIGITS[b & 0xf];
        }
        return new String(out);
    }

    /** True when every byte is zero (an empty id counts as zero: OTLP treats both as invalid). */
    static boolean isZero(ByteString bytes) {
        for (int i = 0; i < bytes.size(); i++) if (bytes.byteAt(i) != 0) return false;
        return true;
    }

    /** The bytes of a hex string (either case); null when it is not an even number of hex digits. */
    static byte[] parse(String s) {
        if ((s.length() & 1) != 0) return null;
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(s.charAt(2 * i)), lo = digit(s.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) return null;
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
