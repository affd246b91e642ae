package io.logflow.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Minimal growable binary writer and reader for the compact store/repartition encodings. Hand
 * written rather than JSON because these run for every record on the hot path.
 */
final class Binary {
    private Binary() {}

    static final class Writer {
        private byte[] buf;
        private int pos;

        Writer(int initial) {
            buf = new byte[initial];
        }

        private void ensure(int extra) {
            if (pos + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
        }

        Writer writeByte(int b) {
            ensure(1);
            buf[pos++] = (byte) b;
            return this;
        }

        Writer writeVarLong(long v) {
            ensure(10);
            long x = (v << 1) ^ (v >> 63); // zig-zag: small negatives stay small
            while ((x & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((x & 0x7F) | 0x80);
                x >>>= 7;
            }
            buf[pos++] = (byte) x;
            return this;
        }

        Writer writeVarInt(int v) {
            return writeVarLong(v);
        }

        /** Writes a nullable string: length+1 (0 = null) then UTF-8 bytes. */
        Writer writeString(String s) {
            if (s == null) return writeVarInt(0);
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeVarInt(b.length + 1);
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
            return this;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, pos);
        }
    }

    static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        int readByte() {
            return buf[pos++] & 0xFF;
        }

        long readVarLong() {
            long x = 0;
            int shift = 0;
            while (true) {
                byte b = buf[pos++];
                x |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) break;
                shift += 7;
            }
            return (x >>> 1) ^ -(x & 1);
        }

        int readVarInt() {
            return (int) readVarLong();
        }

        String readString() {
            int len = readVarInt();
            if (len == 0) return null;
            len -= 1;
            String s = new String(buf, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }
    }
}
