package io.logflow.model.normalize;

/** Trace and span id normalisation: every id LogFlow stores is lowercase hex of a fixed width. */
public final class TraceIds {
    private TraceIds() {}

    /**
     * Normalises a trace id to 32 lowercase hex characters. Accepts W3C 32-hex, a UUID with or without
     * dashes (as sent in X-Trace-ID headers) and 16-hex (64-bit Zipkin/Jaeger ids, left-padded with
     * zeros as OpenTelemetry does).
     *
     * @return the normalised id, or null when the text is not a valid, non-zero trace id
     */
    public static String normalizeTraceId(String text) {
        if (text == null) return null;
        String s = text.trim();
        if (s.length() == 36
                && s.charAt(8) == '-'
                && s.charAt(13) == '-'
                && s.charAt(18) == '-'
                && s.charAt(23) == '-') {
            s = s.substring(0, 8) + s.substring(9, 13) + s.substring(14, 18) + s.substring(19, 23) + s.substring(24);
        }
        if (s.length() == 16) s = "0000000000000000" + s;
        return s.length() == 32 ? lowerHexOrNull(s) : null;
    }

    /** Normalises a span id to 16 lowercase hex characters; null when invalid or all zeros. */
    public static String normalizeSpanId(String text) {
        if (text == null) return null;
        String s = text.trim();
        return s.length() == 16 ? lowerHexOrNull(s) : null;
    }

    private static String lowerHexOrNull(String s) {
        char[] out = new char[s.length()];
        boolean nonZero = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'F') c = (char) (c + ('a' - 'A'));
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!hex) return null;
            if (c != '0') nonZero = true;
            out[i] = c;
        }
        return nonZero ? new String(out) : null;
    }
}
