package io.logflow.model;

/**
 * Encodes trace and span ids, which are lowercase hex, as raw bytes: half the size of their text.
 * Anything that is not lowercase hex of even length is written as text, so every string survives.
 */
final class HexIds {
    private static final int MAX_PACKED_BYTES = 64;

    private HexIds() {}

    /** A byte count n > 0 then n bytes, or 0 then the (nullable) text. */
    static void write(Binary.Writer w, String id) {
        if (!packable(id)) {
            w.writeVarInt(0).writeString(id);
            return;
        }
        int n = id.length() / 2;
        w.writeVarInt(n);
        for (int i = 0; i < n; i++)
            w.writeByte(Character.digit(id.charAt(2 * i), 16) << 4 | Character.digit(id.charAt(2 * i + 1), 16));
    }

    static String read(Binary.Reader r) {
        int n = r.readVarInt();
        if (n == 0) return r.readString();
        if (n < 0 || n > MAX_PACKED_BYTES) throw new IllegalArgumentException("bad packed id length " + n);
        char[] out = new char[2 * n];
        for (int i = 0; i < n; i++) {
            int b = r.readByte();
            out[2 * i] = Character.forDigit(b >>> 4, 16);
            out[2 * i + 1] = Character.forDigit(b & 0xF, 16);
        }
        return new String(out);
    }

    private static boolean packable(String id) {
        if (id == null || id.isEmpty() || id.length() % 2 != 0 || id.length() > 2 * MAX_PACKED_BYTES) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }
}
