package io.logflow.alerts;

import java.util.List;
import java.util.Locale;

/** The log level names a rule may filter on: the same canonical names as the topology's levels. */
final class Levels {
    /** In severity order. */
    static final List<String> CANONICAL = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");

    private Levels() {}

    /**
     * @return the canonical name of a level written in any case, with WARNING for WARN and CRITICAL
     *     for FATAL; null when the text names no level
     */
    static String canonical(String text) {
        if (text == null) return null;
        String s = text.trim().toUpperCase(Locale.ROOT);
        return switch (s) {
            case "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL" -> s;
            case "WARNING" -> "WARN";
            case "CRITICAL" -> "FATAL";
            default -> null;
        };
    }
}
