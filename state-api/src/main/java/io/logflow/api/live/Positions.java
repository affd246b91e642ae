package io.logflow.api.live;

import io.logflow.api.web.ApiException;

/**
 * Live-tail event ids: the position vector after an event, i.e. the next offset of every partition
 * of {@code logflow.logs}, written {@code "0:123,1:456,..."} (see docs/adr/004-live-tail-positions.md).
 * Resuming from vector V means: every record whose offset is {@code >= V[p]} in its partition p.
 */
final class Positions {
    private Positions() {}

    static String encode(long[] next) {
        StringBuilder b = new StringBuilder(next.length * 8);
        for (int p = 0; p < next.length; p++) {
            if (p > 0) b.append(',');
            b.append(p).append(':').append(next[p]);
        }
        return b.toString();
    }

    /**
     * @throws IllegalArgumentException unless {@code text} names every partition 0..partitions-1
     *     exactly once with a non-negative offset
     */
    static long[] decode(String text, int partitions) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty position");
        String[] parts = text.trim().split(",", -1);
        if (parts.length != partitions) {
            throw new IllegalArgumentException(
                    "position names " + parts.length + " partitions, the topic has " + partitions);
        }
        long[] out = new long[partitions];
        boolean[] seen = new boolean[partitions];
        for (String part : parts) {
            int colon = part.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("expected partition:offset, got '" + part + "'");
            int p;
            long offset;
            try {
                p = Integer.parseInt(part.substring(0, colon).trim());
                offset = Long.parseLong(part.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected partition:offset, got '" + part + "'");
            }
            if (p < 0 || p >= partitions) throw new IllegalArgumentException("no partition " + p);
            if (seen[p]) throw new IllegalArgumentException("partition " + p + " named twice");
            if (offset < 0) throw new IllegalArgumentException("negative offset for partition " + p);
            seen[p] = true;
            out[p] = offset;
        }
        return out;
    }

    /**
     * The position a client resumes from: null without a {@code Last-Event-ID} header, else its vector.
     *
     * @param what what the id should have been, for the 400 ("position", "alert-stream position")
     * @throws ApiException 400 for a malformed header
     */
    static long[] fromLastEventId(String lastEventId, int partitions, String what) {
        if (lastEventId == null || lastEventId.isBlank()) return null;
        try {
            return decode(lastEventId, partitions);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(
                    "Last-Event-ID", "header 'Last-Event-ID' is not a LogFlow " + what + ": " + e.getMessage());
        }
    }

    /**
     * True when every offset of {@code v} is at least that of {@code base}: the records from {@code base} on include
     * all those from {@code v} on.
     */
    static boolean atOrAfter(long[] v, long[] base) {
        for (int p = 0; p < v.length; p++) if (v[p] < base[p]) return false;
        return true;
    }
}
