package io.logflow.model.codec;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Fast path for the ISO-8601 timestamps almost every log carries: {@code
 * yyyy-MM-dd'T'HH:mm:ss[.fraction][Z|±HH:mm|±HHmm|±HH]}, 'T' or a space between date and time, no
 * zone meaning UTC. java.time's parsers cost about a microsecond per call (and an exception per
 * format that does not match); this runs for every log. Anything else returns null so the caller
 * can fall back to java.time.
 */
public final class IsoTimestamps {
    private IsoTimestamps() {}

    /** Epoch millis, or null when the text is not in the fast-path shape (not necessarily invalid). */
    public static Long parse(String s) {
        int n = s.length();
        if (n < 19) return null;
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
        if (s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || (s.charAt(10) != 'T' && s.charAt(10) != 't' && s.charAt(10) != ' ')
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') return null;
        if (hour > 23 || minute > 59 || second > 59) return null;
        int i = 19;
        long millis = 0;
        if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
            i++;
            int start = i;
            while (i < n && isDigit(s.charAt(i))) {
                if (i - start < 3) millis = millis * 10 + (s.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) return null;
            for (int k = count; k < 3; k++) millis *= 10;
        }
        int offsetSeconds = 0;
        if (i < n) {
            char c = s.charAt(i);
            if (c == 'Z' || c == 'z') {
                i++;
            } else if (c == '+' || c == '-') {
                int sign = c == '-' ? -1 : 1;
                int oh = digits(s, i + 1, 2);
                if (oh < 0 || oh > 18) return null;
                int om = 0;
                i += 3;
                if (i < n) {
                    if (s.charAt(i) == ':') i++;
                    om = digits(s, i, 2);
                    if (om < 0 || om > 59) return null;
                    i += 2;
                }
                offsetSeconds = sign * (oh * 3600 + om * 60);
            } else {
                return null;
            }
        }
        if (i != n) return null;
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // e.g. February 30th: let java.time give the verdict
        }
        long seconds = epochDay * 86_400 + hour * 3_600L + minute * 60L + second - offsetSeconds;
        return seconds * 1000 + millis;
    }

    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) return -1;
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
