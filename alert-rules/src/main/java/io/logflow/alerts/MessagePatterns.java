package io.logflow.alerts;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A rule's {@code message_pattern}: {@code /regex/} or {@code /regex/i} is a Java regular expression
 * found anywhere in the message (the {@code i} suffix ignores case); anything else is a
 * case-insensitive substring.
 *
 * <p>Compiled matchers are cached by pattern text, so every rule version with a given pattern
 * compiles it once (rules are records and cannot hold a private compiled field). The cache is small
 * in practice — one entry per distinct pattern — and is emptied should it ever exceed {@link
 * #MAX_CACHED} entries.
 */
final class MessagePatterns {
    static final int MAX_CACHED = 4096;
    private static final Map<String, Predicate<String>> CACHE = new ConcurrentHashMap<>();

    private MessagePatterns() {}

    /** True when the pattern is written as {@code /regex/} or {@code /regex/i}. */
    static boolean isRegex(String pattern) {
        if (pattern.length() >= 2 && pattern.charAt(0) == '/' && pattern.endsWith("/")) return true;
        return pattern.length() >= 3 && pattern.charAt(0) == '/' && pattern.endsWith("/i");
    }

    /** The regular expression between the slashes; only for {@link #isRegex} patterns. */
    static String regexBody(String pattern) {
        return pattern.endsWith("/i")
                ? pattern.substring(1, pattern.length() - 2)
                : pattern.substring(1, pattern.length() - 1);
    }

    /**
     * @return the matcher of a pattern, compiled at the first call for this text
     * @throws PatternSyntaxException when a {@code /regex/} does not compile
     */
    static Predicate<String> matcher(String pattern) {
        Predicate<String> m = CACHE.get(pattern);
        if (m != null) return m;
        m = compile(pattern);
        if (CACHE.size() >= MAX_CACHED) CACHE.clear();
        CACHE.put(pattern, m);
        return m;
    }

    private static Predicate<String> compile(String pattern) {
        if (isRegex(pattern)) {
            int flags = pattern.endsWith("/i") ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
            Pattern p = Pattern.compile(regexBody(pattern), flags);
            return message -> p.matcher(message).find();
        }
        return message -> containsIgnoreCase(message, pattern);
    }

    static boolean containsIgnoreCase(String text, String part) {
        int n = part.length();
        for (int i = 0, last = text.length() - n; i <= last; i++) {
            if (text.regionMatches(true, i, part, 0, n)) return true;
        }
        return false;
    }
}
