package io.logflow.model;

/**
 * Turns a log message into its template by replacing the parts that vary between occurrences of
 * the same event: UUIDs become {@code <uuid>}, hex ids {@code <hex>}, numbers {@code <n>}. So
 * "timeout after 30s for order 123" and "timeout after 31s for order 456" share the template
 * "timeout after <n>s for order <n>".
 *
 * <p>A single left-to-right scan, no regular expressions: this runs for every error log.
 */
public final class MessageTemplates {
    /** Templates are cut to this many characters so one huge message cannot bloat a store. */
    public static final int MAX_TEMPLATE_LENGTH = 256;

    private MessageTemplates() {}

    public static String of(String message) {
        if (message == null) return "";
        int n = message.length();
        StringBuilder out = new StringBuilder(Math.min(n, MAX_TEMPLATE_LENGTH));
        int i = 0;
        while (i < n && out.length() < MAX_TEMPLATE_LENGTH) {
            char c = message.charAt(i);
            if (isAlnum(c) && (i == 0 || !isWordChar(message.charAt(i - 1)))) {
                int end = tokenEnd(message, i);
                String replacement = classify(message, i, end);
                if (replacement != null) {
                    out.append(replacement);
                    i = end;
                    continue;
                }
                // a word: copy it, but still replace a digit run glued to letters' end ("30s" -> "<n>s")
            }
            if (isDigit(c) && (i == 0 || !isLetter(message.charAt(i - 1)))) {
                int end = i;
                while (end < n
                        && (isDigit(message.charAt(end))
                                || (message.charAt(end) == '.' && end + 1 < n && isDigit(message.charAt(end + 1)))))
                    end++;
                out.append("<n>");
                i = end;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.length() > MAX_TEMPLATE_LENGTH ? out.substring(0, MAX_TEMPLATE_LENGTH) : out.toString();
    }

    /** A token runs over letters, digits and dashes (dashes so that UUIDs are one token). */
    private static int tokenEnd(String s, int start) {
        int i = start;
        while (i < s.length() && (isAlnum(s.charAt(i)) || s.charAt(i) == '-')) i++;
        // do not swallow a trailing dash that is punctuation
        while (i > start && s.charAt(i - 1) == '-') i--;
        return i;
    }

    private static String classify(String s, int start, int end) {
        int len = end - start;
        if (len == 36 && isUuid(s, start)) return "<uuid>";
        if (len >= 2
                && s.charAt(start) == '0'
                && (s.charAt(start + 1) == 'x' || s.charAt(start + 1) == 'X')
                && len > 2
                && allHex(s, start + 2, end)) return "<hex>";
        if (len >= 8 && allHex(s, start, end) && hasDigit(s, start, end) && hasHexLetterOrLong(s, start, end))
            return "<hex>";
        return null;
    }

    private static boolean hasHexLetterOrLong(String s, int start, int end) {
        for (int i = start; i < end; i++) if (!isDigit(s.charAt(i))) return true;
        return false; // all digits: leave it to the number rule
    }

    private static boolean isUuid(String s, int start) {
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(start + i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') return false;
            } else if (!isHex(c)) return false;
        }
        return true;
    }

    private static boolean allHex(String s, int start, int end) {
        for (int i = start; i < end; i++) if (!isHex(s.charAt(i))) return false;
        return true;
    }

    private static boolean hasDigit(String s, int start, int end) {
        for (int i = start; i < end; i++) if (isDigit(s.charAt(i))) return true;
        return false;
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isAlnum(char c) {
        return isDigit(c) || isLetter(c);
    }

    private static boolean isWordChar(char c) {
        return isAlnum(c) || c == '-';
    }
}
