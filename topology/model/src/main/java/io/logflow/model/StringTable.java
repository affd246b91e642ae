package io.logflow.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Interns the strings of one encoding as it is written: the first occurrence of a string is written
 * in full, later ones as its number. For encodings that repeat a few strings many times (the
 * service and operation of every span of a trace).
 *
 * <p>Each reference is a varint: 0 = null, 1 = a new string follows, k + 2 = the k-th string seen.
 */
final class StringTable {
    private StringTable() {}

    static final class Writer {
        private final Map<String, Integer> seen = new HashMap<>();

        void write(Binary.Writer w, String s) {
            if (s == null) {
                w.writeVarInt(0);
                return;
            }
            Integer k = seen.get(s);
            if (k != null) {
                w.writeVarInt(k + 2);
                return;
            }
            seen.put(s, seen.size());
            w.writeVarInt(1).writeString(s);
        }
    }

    static final class Reader {
        private final List<String> seen = new ArrayList<>();

        String read(Binary.Reader r) {
            int ref = r.readVarInt();
            if (ref == 0) return null;
            if (ref == 1) {
                String s = r.readString();
                seen.add(s);
                return s;
            }
            if (ref < 0 || ref - 2 >= seen.size()) throw new IllegalArgumentException("bad string reference " + ref);
            return seen.get(ref - 2);
        }
    }
}
